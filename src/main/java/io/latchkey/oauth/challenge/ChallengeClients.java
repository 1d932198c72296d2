package io.latchkey.oauth.challenge;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.web.authentication.ClientSecretBasicAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.ClientSecretPostAuthenticationConverter;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import io.latchkey.client.SupportedGrantTypes;
import io.latchkey.ratelimit.RateLimitExceededException;

/**
 * Who may use the authorization challenge endpoint: first-party clients only, and each authenticated as at the token
 * endpoint (the draft, section 4.1). A confidential client presents its secret (HTTP Basic or in the form), checked
 * by the same provider as at the token endpoint, which counts wrong secrets; a public client names itself by
 * {@code client_id}. A client is first-party when it has the {@code password} grant enabled: the one existing,
 * explicit declaration that the client may collect the user's password itself, which is what this endpoint lets
 * it do.
 */
final class ChallengeClients {

    private final RegisteredClientRepository clients;
    private final AuthenticationProvider secrets;
    private final ClientSecretBasicAuthenticationConverter basic = new ClientSecretBasicAuthenticationConverter();
    private final ClientSecretPostAuthenticationConverter post = new ClientSecretPostAuthenticationConverter();

    ChallengeClients(RegisteredClientRepository clients, AuthenticationProvider secrets) {
        this.clients = clients;
        this.secrets = secrets;
    }

    /** The client making the request, authenticated and first-party; otherwise a refusal. */
    RegisteredClient authenticate(HttpServletRequest request, ChallengeRequest parameters) {
        RegisteredClient client = presentsSecret(request) ? confidential(request) : publicClient(parameters);
        String claimed = parameters.clientId();
        if (claimed != null && !claimed.equals(client.getClientId())) {
            throw ChallengeError.invalidClient("client_id does not name the authenticated client");
        }
        if (!client.getAuthorizationGrantTypes().contains(SupportedGrantTypes.PASSWORD)) {
            throw ChallengeError.unauthorizedClient("Only first-party clients may use the authorization challenge "
                    + "endpoint; this client must use the authorization endpoint");
        }
        return client;
    }

    private static boolean presentsSecret(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null;
    }

    private RegisteredClient confidential(HttpServletRequest request) {
        Authentication presented;
        try {
            presented = basic.convert(request);
            if (presented == null) {
                presented = post.convert(request);
            }
        }
        catch (OAuth2AuthenticationException malformed) {
            throw ChallengeError.invalidRequest("The client credentials are malformed");
        }
        if (!(presented instanceof OAuth2ClientAuthenticationToken token)) {
            throw ChallengeError.invalidClient("Client authentication failed");
        }
        token.setDetails(new WebAuthenticationDetails(request));
        try {
            Authentication authenticated = secrets.authenticate(token);
            if (authenticated instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()
                    && client.getRegisteredClient() != null) {
                return client.getRegisteredClient();
            }
        }
        catch (OAuth2AuthenticationException refused) {
            if (refused.getCause() instanceof RateLimitExceededException limited) {
                throw ChallengeError.tooManyAttempts(limited.verdict());
            }
        }
        throw ChallengeError.invalidClient("Client authentication failed");
    }

    private RegisteredClient publicClient(ChallengeRequest parameters) {
        String clientId = parameters.clientId();
        if (clientId == null || clientId.isBlank()) {
            throw ChallengeError.invalidClient("Client authentication failed: a public client sends client_id");
        }
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
            throw ChallengeError.invalidClient("Client authentication failed");
        }
        return client;
    }
}
