package io.latchkey.client;

import java.time.Duration;
import java.util.List;

/**
 * A client as an admin (console, API, configuration import) or a dynamic registration describes it: everything but
 * the secret, which Latchkey generates ({@link ClientAdministration}). Null means the default, as in configuration
 * ({@code latchkey.clients.*}); the same rules apply ({@link ClientDefinition#problems}).
 *
 * @param confidential whether the client has a secret (a public one authenticates with PKCE alone; a client with
 *        {@code private_key_jwt} in its extensions has none either, and authenticates with its key)
 * @param extensions the settings of the standards beyond the core; never null
 */
public record ClientDraft(String displayName, boolean confidential, List<String> grantTypes, List<String> redirectUris,
        List<String> postLogoutRedirectUris, List<String> scopes, Boolean requirePkce, Boolean requireConsent,
        Duration accessTokenTtl, Duration refreshTokenTtl, String logoUri, Boolean requireMfa,
        String backchannelLogoutUri, ClientExtensions extensions) {

    public ClientDraft {
        extensions = extensions == null ? ClientExtensions.NONE : extensions;
    }

    /** A draft with every extension off. */
    public ClientDraft(String displayName, boolean confidential, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Boolean requirePkce, Boolean requireConsent,
            Duration accessTokenTtl, Duration refreshTokenTtl, String logoUri, Boolean requireMfa,
            String backchannelLogoutUri) {
        this(displayName, confidential, grantTypes, redirectUris, postLogoutRedirectUris, scopes, requirePkce,
                requireConsent, accessTokenTtl, refreshTokenTtl, logoUri, requireMfa, backchannelLogoutUri,
                ClientExtensions.NONE);
    }

    /** This draft with other extension settings. */
    public ClientDraft withExtensions(ClientExtensions changed) {
        return new ClientDraft(displayName, confidential, grantTypes, redirectUris, postLogoutRedirectUris, scopes,
                requirePkce, requireConsent, accessTokenTtl, refreshTokenTtl, logoUri, requireMfa,
                backchannelLogoutUri, changed);
    }

    /** A secret long enough to pass the rules, standing in for the real one (generated, or kept) while checking them. */
    private static final String STAND_IN_SECRET = "x".repeat(ClientDefinition.MIN_SECRET_LENGTH);

    ClientDefinition definition() {
        return new ClientDefinition(confidential ? STAND_IN_SECRET : null, grantTypes, redirectUris,
                postLogoutRedirectUris, scopes, requireConsent, accessTokenTtl, refreshTokenTtl, null,
                displayName == null || displayName.isBlank() ? null : displayName.trim(),
                logoUri == null || logoUri.isBlank() ? null : logoUri.trim(), null, requirePkce,
                backchannelLogoutUri, null, requireMfa, extensions);
    }
}
