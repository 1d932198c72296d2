/**
 * Keys: the signing key ring ({@link io.latchkey.keys.SigningKeys}: kept in the database, rotated on a
 * schedule, published in the JWKS) and the master key that seals its private parts.
 *
 * <p>Layer: security primitives (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "audit", "jobs", "runtime" })
package io.latchkey.keys;

import org.springframework.modulith.ApplicationModule;
