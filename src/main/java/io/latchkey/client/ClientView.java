package io.latchkey.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * A registered client as the console, the admin API and dynamic registration show it. Never a secret, nor a hash of
 * one: only whether there is a previous secret still accepted, and until when.
 *
 * @param source {@value ClientAdministration#CONFIGURATION} (read-only: changed in configuration only),
 *        {@value ClientAdministration#ADMINISTERED} or {@value ClientAdministration#REGISTERED}
 * @param legacyPasswordGrant the client may use the password grant, which the console flags
 * @param previousSecretUntil until when the secret before the last rotation is still accepted; null when none is
 * @param extensions the settings of the standards beyond the core ({@link ClientExtensions})
 */
public record ClientView(String clientId, String displayName, boolean confidential, List<String> grantTypes,
        List<String> redirectUris, List<String> postLogoutRedirectUris, List<String> scopes, boolean requirePkce,
        boolean requireConsent, Duration accessTokenTtl, Duration refreshTokenTtl, String logoUri, boolean requireMfa,
        String backchannelLogoutUri, String source, boolean disabled, boolean legacyPasswordGrant, Instant createdAt,
        Instant previousSecretUntil, ClientExtensions extensions) {

    public boolean readOnly() {
        return ClientAdministration.CONFIGURATION.equals(source);
    }

    /** The client as a draft, to edit it. */
    public ClientDraft draft() {
        return new ClientDraft(displayName, confidential, grantTypes, redirectUris, postLogoutRedirectUris, scopes,
                requirePkce, requireConsent, accessTokenTtl, refreshTokenTtl, logoUri, requireMfa, backchannelLogoutUri,
                extensions);
    }

    static ClientView of(RegisteredClient client, String source, Instant now) {
        List<String> grants = client.getAuthorizationGrantTypes().stream().map(type -> type.getValue()).sorted().toList();
        return new ClientView(client.getClientId(), client.getClientName(), client.getClientSecret() != null, grants,
                client.getRedirectUris().stream().sorted().toList(),
                client.getPostLogoutRedirectUris().stream().sorted().toList(),
                client.getScopes().stream().sorted().toList(), client.getClientSettings().isRequireProofKey(),
                client.getClientSettings().isRequireAuthorizationConsent(),
                client.getTokenSettings().getAccessTokenTimeToLive(),
                client.getTokenSettings().getRefreshTokenTimeToLive(), ClientPolicies.logoUri(client),
                ClientPolicies.requiresMfa(client), ClientPolicies.backchannelLogoutUri(client), source,
                ClientPolicies.isDisabled(client), grants.contains("password"), client.getClientIdIssuedAt(),
                ClientPolicies.previousSecretUntil(client).filter(now::isBefore).orElse(null),
                ClientPolicies.extensions(client));
    }
}
