/**
 * The admin console under {@code /admin}: server-rendered pages for clients, users, roles, signing keys, the audit
 * trail and a dashboard, in the hosted pages' themes and languages. Every page checks its permission where it is
 * served ({@link io.latchkey.admin.AdminConsoleAccess}), not by URL.
 *
 * <p>Layer: entrances (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "audit", "client", "http", "jobs", "keys", "mfa", "oauth",
        "passkey", "ratelimit", "runtime", "session", "tokens" })
package io.latchkey.admin;

import org.springframework.modulith.ApplicationModule;
