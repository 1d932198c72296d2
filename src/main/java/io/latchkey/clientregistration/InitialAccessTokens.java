package io.latchkey.clientregistration;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientView;

/**
 * The initial access token of a registration (RFC 7591 section 3): one of Latchkey's own access tokens, from the
 * {@code client_credentials} grant, with the scope {@value MetadataRules#CLIENT_CREATE_SCOPE}, issued to a client an
 * admin declared (in configuration or administered; never one that registered itself, so a registered client cannot
 * make more), and active: its signature, issuer and expiry are checked by the server's {@link JwtDecoder}, and the
 * authorization store must still hold it as active (not revoked; a stateless one not on the deny list; its client
 * neither disabled nor deleted since, which the store and the client repository answer).
 */
@Component
class InitialAccessTokens {

    private final JwtDecoder jwtDecoder;
    private final OAuth2AuthorizationService authorizations;
    private final RegisteredClientRepository clients;
    private final ClientAdministration administration;

    InitialAccessTokens(JwtDecoder jwtDecoder, OAuth2AuthorizationService authorizations,
            RegisteredClientRepository clients, ClientAdministration administration) {
        this.jwtDecoder = jwtDecoder;
        this.authorizations = authorizations;
        this.clients = clients;
        this.administration = administration;
    }

    /** The client id of the client the token was issued to, when it is an initial access token; else an error. */
    String verify(String token) {
        try {
            jwtDecoder.decode(token);
        }
        catch (JwtException notOurs) {
            throw invalid();
        }
        OAuth2Authorization authorization = authorizations.findByToken(token, OAuth2TokenType.ACCESS_TOKEN);
        if (authorization == null || authorization.getAccessToken() == null
                || !authorization.getAccessToken().isActive()
                || !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            throw invalid();
        }
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        ClientView issuedTo = client == null ? null : administration.find(client.getClientId()).orElse(null);
        if (issuedTo == null || issuedTo.disabled() || ClientAdministration.REGISTERED.equals(issuedTo.source())) {
            throw invalid();
        }
        OAuth2AccessToken accessToken = authorization.getAccessToken().getToken();
        if (!accessToken.getScopes().contains(MetadataRules.CLIENT_CREATE_SCOPE)) {
            throw RegistrationError.insufficientScope(MetadataRules.CLIENT_CREATE_SCOPE);
        }
        return issuedTo.clientId();
    }

    private static RegistrationError invalid() {
        return RegistrationError.invalidToken("The initial access token is not valid");
    }
}
