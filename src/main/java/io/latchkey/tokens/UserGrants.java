package io.latchkey.tokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a user has granted to applications, as the account page shows it: consents, and the tokens
 * issued under them. Revoking ends both, so the application's refresh tokens stop working at once.
 */
@Service
public class UserGrants {

    private final JdbcClient jdbc;
    private final RegisteredClientRepository clients;
    private final AuthorizationStore authorizations;

    UserGrants(JdbcClient jdbc, RegisteredClientRepository clients, AuthorizationStore authorizations) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.authorizations = authorizations;
    }

    /** Applications the user consented to, with the scopes granted. */
    public List<Grant> consentedApplications(String principalName) {
        List<Grant> grants = new ArrayList<>();
        jdbc.sql("SELECT registered_client_id, authorities FROM oauth2_authorization_consent WHERE principal_name = :p "
                        + "ORDER BY registered_client_id")
                .param("p", principalName)
                .query(rs -> {
                    RegisteredClient client = clients.findById(rs.getString("registered_client_id"));
                    if (client != null) {
                        Set<String> scopes = new LinkedHashSet<>();
                        Arrays.stream(rs.getString("authorities").split(","))
                                .filter(authority -> authority.startsWith("SCOPE_"))
                                .forEach(authority -> scopes.add(authority.substring("SCOPE_".length())));
                        grants.add(new Grant(client.getClientId(), client.getClientName(), List.copyOf(scopes)));
                    }
                });
        return grants;
    }

    /** Withdraws consent from one application and revokes every token it holds for the user. */
    @Transactional
    public boolean revoke(String principalName, String clientId) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            return false;
        }
        int consents = jdbc.sql("DELETE FROM oauth2_authorization_consent WHERE registered_client_id = :c AND principal_name = :p")
                .param("c", client.getId()).param("p", principalName).update();
        int authorizations = jdbc.sql("DELETE FROM authorizations WHERE registered_client_id = :c AND principal_name = :p")
                .param("c", client.getId()).param("p", principalName).update();
        return consents + authorizations > 0;
    }

    /** Revokes every token issued to any application for the user (password reset, account lock). */
    public int revokeAllTokens(String principalName) {
        return jdbc.sql("DELETE FROM authorizations WHERE principal_name = :p").param("p", principalName).update();
    }

    /**
     * Revokes every token issued for the user except those of the sign-in that {@code keptAccessToken} was
     * issued from (the sign-in a password change was made in); every token when it is null, unknown or
     * another user's. Every token Latchkey issues for a user is stored, so this ends them all at once.
     */
    public int revokeAllTokensExcept(String principalName, String keptAccessToken) {
        OAuth2Authorization kept = keptAccessToken == null ? null
                : authorizations.findByToken(keptAccessToken, OAuth2TokenType.ACCESS_TOKEN);
        if (kept == null || !principalName.equals(kept.getPrincipalName())) {
            return revokeAllTokens(principalName);
        }
        return jdbc.sql("DELETE FROM authorizations WHERE principal_name = :p AND id <> :kept")
                .param("p", principalName).param("kept", kept.getId()).update();
    }

    /** Withdraws every consent the user gave and revokes every token issued for them (account deletion). */
    @Transactional
    public int withdrawAll(String principalName) {
        int consents = jdbc.sql("DELETE FROM oauth2_authorization_consent WHERE principal_name = :p")
                .param("p", principalName).update();
        return consents + revokeAllTokens(principalName);
    }

    public record Grant(String clientId, String clientName, List<String> scopes) {
    }
}
