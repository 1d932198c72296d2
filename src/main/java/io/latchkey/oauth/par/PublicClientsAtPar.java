package io.latchkey.oauth.par;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * A public client pushes its request with its {@code client_id} alone (RFC 9126 section 2: "the client
 * authenticates as it would at the token endpoint", and a public client does not authenticate there either; it
 * proves itself with PKCE when it redeems the code). The framework authenticates public clients only at the
 * token endpoint, by their {@code code_verifier}, so this identifies them at the PAR endpoint; only a client
 * registered for {@code none} is accepted, and its request must carry a PKCE {@code code_challenge}
 * ({@link ShortLivedRequestUris}). A request with any client credential (a secret, an assertion, an Authorization
 * header) is left to the authentication that credential belongs to.
 */
final class PublicClientsAtPar {

    static final String PUBLIC_CLIENT = "latchkey_public_client";

    private PublicClientsAtPar() {
    }

    static AuthenticationConverter converter(RequestMatcher parEndpoint) {
        return request -> convert(parEndpoint, request);
    }

    static AuthenticationProvider provider(RegisteredClientRepository clients) {
        return new Provider(clients);
    }

    private static Authentication convert(RequestMatcher parEndpoint, HttpServletRequest request) {
        if (!parEndpoint.matches(request) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE) != null) {
            return null;
        }
        String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
        if (clientIds == null || clientIds.length != 1 || clientIds[0].isBlank() || clientIds[0].length() > 100) {
            return null;
        }
        return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null,
                Map.of(PUBLIC_CLIENT, true));
    }

    private static final class Provider implements AuthenticationProvider {

        private final RegisteredClientRepository clients;

        Provider(RegisteredClientRepository clients) {
            this.clients = clients;
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
            if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())
                    || !Boolean.TRUE.equals(token.getAdditionalParameters().get(PUBLIC_CLIENT))) {
                return null;
            }
            RegisteredClient client = clients.findByClientId((String) token.getPrincipal());
            if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                        "Client authentication failed", null));
            }
            return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
        }
    }
}
