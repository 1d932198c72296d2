/**
 * Dynamic client registration: OpenID Connect Dynamic Client Registration 1.0, RFC 7591 (registration) and RFC 7592
 * (the client configuration endpoint: read, update, delete). Its own endpoint and filter chain, not the
 * authorization server's built-in one; clients are made through {@link io.latchkey.client.ClientAdministration},
 * under the same rules as every other client. Each rule is a class of its own: the initial access token
 * ({@link io.latchkey.clientregistration.InitialAccessTokens}), the registration access token
 * ({@link io.latchkey.clientregistration.RegistrationAccessTokens}), the metadata and its mapping
 * ({@link io.latchkey.clientregistration.ClientMetadata}, {@link io.latchkey.clientregistration.MetadataRules}),
 * open registration's limits ({@link io.latchkey.clientregistration.OpenRegistrationLimits}) and software
 * statements ({@link io.latchkey.clientregistration.SoftwareStatements}).
 *
 * <p>Layer: entrances (see {@code io.latchkey.ModularityTest}).
 */
@ApplicationModule(allowedDependencies = { "audit", "client", "http", "keys", "oauth", "ratelimit", "runtime" })
package io.latchkey.clientregistration;

import org.springframework.modulith.ApplicationModule;
