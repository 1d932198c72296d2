/**
 * The token store: authorizations with their tokens hashed at rest, stateless client-credentials access
 * tokens, revoked access tokens, and the purge of expired authorizations.
 *
 * <p>Layer: tokens (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "account", "audit", "client", "database", "jobs", "keys" })
package io.latchkey.tokens;

import org.springframework.modulith.ApplicationModule;
