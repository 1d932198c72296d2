package io.latchkey.config;

import java.util.List;

import io.latchkey.client.ClientExtensions;

/**
 * The document an export writes and an import reads (YAML or JSON, property names in kebab case as in
 * {@code latchkey.clients.*}). Never a secret in the clear: a confidential client carries the bcrypt hash of its
 * secret, a user the bcrypt hash of their password, so that both keep working where the document is imported.
 *
 * @param version {@value #VERSION}
 * @param users null when the document carries no users (they are exported on request only)
 */
public record ConfigurationDocument(int version, List<Client> clients, List<Role> roles, List<User> users) {

    public static final int VERSION = 1;

    /**
     * A client made while running (by an admin or a dynamic registration); clients declared in configuration are
     * configuration already and are left out.
     *
     * @param source {@code runtime} (made by an admin) or {@code registration} (dynamic registration)
     * @param secretHash the bcrypt hash of a confidential client's secret; null for a public client
     * @param accessTokenTtl an ISO-8601 duration ({@code PT15M}); {@code 15m} is read too
     * @param extensions the settings of the standards beyond the core (key-based authentication, PAR, DPoP, pairwise
     *        subjects, resource indicator, token exchange); null when all are off
     */
    public record Client(String clientId, String source, String displayName, boolean confidential, String secretHash,
            List<String> grantTypes, List<String> redirectUris, List<String> postLogoutRedirectUris,
            List<String> scopes, Boolean requirePkce, Boolean requireConsent, String accessTokenTtl,
            String refreshTokenTtl, String logoUri, Boolean requireMfa, String backchannelLogoutUri, boolean enabled,
            ClientExtensions extensions) {

        public Client(String clientId, String source, String displayName, boolean confidential, String secretHash,
                List<String> grantTypes, List<String> redirectUris, List<String> postLogoutRedirectUris,
                List<String> scopes, Boolean requirePkce, Boolean requireConsent, String accessTokenTtl,
                String refreshTokenTtl, String logoUri, Boolean requireMfa, String backchannelLogoutUri,
                boolean enabled) {
            this(clientId, source, displayName, confidential, secretHash, grantTypes, redirectUris,
                    postLogoutRedirectUris, scopes, requirePkce, requireConsent, accessTokenTtl, refreshTokenTtl, logoUri,
                    requireMfa, backchannelLogoutUri, enabled, null);
        }
    }

    /** A role and everything it permits (each one of {@code io.latchkey.account.Permissions#ALL}). */
    public record Role(String name, String description, List<String> permissions) {
    }

    /**
     * A user, found by email where the document is imported.
     *
     * @param id kept when the user is created, so that the {@code sub} relying parties know stays the same
     * @param passwordHash {@code {bcrypt}$2...}; null for a user without a password (left as it is on an update)
     * @param roles every role the user has
     */
    public record User(String id, String email, String name, boolean emailVerified, boolean enabled,
            String passwordHash, List<String> roles) {
    }
}
