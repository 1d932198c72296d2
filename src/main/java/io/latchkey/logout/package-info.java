/**
 * OpenID Connect Back-Channel Logout 1.0: which clients got ID tokens in which browser session, and, when a
 * session ends on purpose, a signed logout token POSTed to each of them that registered a back-channel logout
 * URI, through an outbox in the database with retries.
 *
 * <p>Layer: entrances (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "audit", "client", "jobs", "oauth", "runtime", "session" })
package io.latchkey.logout;

import org.springframework.modulith.ApplicationModule;
