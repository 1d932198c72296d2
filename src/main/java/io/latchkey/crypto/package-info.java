/**
 * Password hashing: bcrypt with its 72-byte limit, and a bounded number of hashes at once, so that a flood
 * of sign-ins cannot occupy every request thread and core.
 *
 * <p>Layer: security primitives (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "admission" })
package io.latchkey.crypto;

import org.springframework.modulith.ApplicationModule;
