/**
 * Production mode ({@code latchkey.mode=production}): the settings Latchkey refuses to start with, all reported at
 * once; the defaults that make the session cookie a Secure {@code __Host-} cookie; HSTS on every response.
 *
 * <p>Layer: entrances (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "client", "keys", "runtime" })
package io.latchkey.production;

import org.springframework.modulith.ApplicationModule;
