/**
 * Where and how Latchkey runs: the run mode (evaluation or production; embedded H2 or a database), the
 * issuer ({@link io.latchkey.runtime.Issuer}, read once and checked at start-up), the names of the cookies that
 * production mode makes {@code __Host-} cookies, and the start-up summary.
 *
 * <p>Layer: infrastructure (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = {})
package io.latchkey.runtime;

import org.springframework.modulith.ApplicationModule;
