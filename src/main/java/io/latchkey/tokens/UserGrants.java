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

import io.latchkey.account.ConnectedApplications;

/**
 * What a user has granted to applications, as the account page shows it: consents, and the tokens
 * issued under them. Revoking ends both, so the application's refresh tokens stop working at once.
 * The account rules reach it as {@link ConnectedApplications}.
 */
@Service
class UserGrants implements ConnectedApplications {

    private final JdbcClient jdbc;
    private final RegisteredClientRepository clients;
    private final AuthorizationStore authorizations;

    UserGrants(JdbcClient jdbc, RegisteredClientRepository clients, AuthorizationStore authorizations) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.authorizations = authorizations;
    }

    @Override
    public List<ConnectedApplication> consentedApplications(String principalName) {
        List<ConnectedApplication> grants = new ArrayList<>();
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
                        grants.add(new ConnectedApplication(client.getClientId(), client.getClientName(), List.copyOf(scopes)));
                    }
                });
        return grants;
    }

    @Override
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

    @Override
    public void revokeAllTokens(String principalName) {
        jdbc.sql("DELETE FROM authorizations WHERE principal_name = :p").param("p", principalName).update();
    }

    /** Every token Latchkey issues for a user is stored, so deleting the rows ends them all at once. */
    @Override
    public void revokeAllTokensExcept(String principalName, String keptAccessToken) {
        OAuth2Authorization kept = keptAccessToken == null ? null
                : authorizations.findByToken(keptAccessToken, OAuth2TokenType.ACCESS_TOKEN);
        if (kept == null || !principalName.equals(kept.getPrincipalName())) {
            revokeAllTokens(principalName);
            return;
        }
        jdbc.sql("DELETE FROM authorizations WHERE principal_name = :p AND id <> :kept")
                .param("p", principalName).param("kept", kept.getId()).update();
    }

    @Override
    @Transactional
    public void withdrawAll(String principalName) {
        jdbc.sql("DELETE FROM oauth2_authorization_consent WHERE principal_name = :p")
                .param("p", principalName).update();
        revokeAllTokens(principalName);
    }
}
