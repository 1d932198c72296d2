/**
 * Bounded admission: how many requests work on the database at once, how long the others wait, and the
 * fast 503 with {@code Retry-After} they get beyond that, in each endpoint's own format.
 *
 * <p>Layer: infrastructure (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "ops" })
package io.latchkey.admission;

import org.springframework.modulith.ApplicationModule;
