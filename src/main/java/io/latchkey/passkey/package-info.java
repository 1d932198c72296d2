/**
 * Passkeys: WebAuthn registration and sign-in through Spring Security's WebAuthn support (webauthn4j), credentials in
 * PostgreSQL, the account page's passkey list, and passwordless accounts.
 *
 * <p>Layer: credentials (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "audit", "crypto", "keys", "mail", "ratelimit", "runtime",
        "session", "theme", "http" })
package io.latchkey.passkey;

import org.springframework.modulith.ApplicationModule;
