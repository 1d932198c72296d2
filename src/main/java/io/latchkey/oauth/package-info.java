/**
 * The authorization server: Spring Security's OAuth 2 and OpenID Connect endpoints, wired with Latchkey's
 * rules, each in a class named after it (grants, refresh rotation, session freshness, claims, consent).
 *
 * <p>Layer: oauth (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "admission", "audit", "client", "crypto", "database", "http",
        "keys", "ratelimit", "runtime", "session", "tokens" })
package io.latchkey.oauth;

import org.springframework.modulith.ApplicationModule;
