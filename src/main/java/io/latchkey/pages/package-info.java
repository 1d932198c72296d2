/**
 * The hosted pages' entrance: the sign-in page, where a failed sign-in goes, and the security filter
 * chain of every hosted page (login, registration, account, consent, error pages, static files). Their look is
 * the theme's ({@code io.latchkey.theme}); the account pages' controllers are the account module's.
 *
 * <p>Layer: entrances (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "admission", "client", "crypto", "database", "http",
        "mfa", "passkey", "ratelimit", "runtime", "session" })
package io.latchkey.pages;

import org.springframework.modulith.ApplicationModule;
