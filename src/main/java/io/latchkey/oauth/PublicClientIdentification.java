package io.latchkey.oauth;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.latchkey.client.SupportedGrantTypes;

/**
 * A public client (a single-page app, a mobile app, a CLI) has no secret to present. At the token
 * endpoint it identifies itself by {@code client_id} alone for two grants, and only if it is registered
 * as public with that grant enabled:
 * <ul>
 * <li>{@code refresh_token}: refresh tokens of public clients rotate on every use and a reused one
 * revokes the whole login, which is what RFC 9700 section 4.14.2 asks before public clients may hold
 * them;</li>
 * <li>{@code password}: first-party apps that cannot use a browser redirect;</li>
 * <li>{@code urn:ietf:params:oauth:grant-type:device_code} (RFC 8628), and at the device authorization endpoint:
 * devices such as TVs and command-line tools hold no secret. Whether the client may use the grant at all is the
 * device authorization endpoint's to answer ({@code unauthorized_client}).</li>
 * </ul>
 * Code redemption by a public client still goes through PKCE (the framework's own provider).
 */
final class PublicClientIdentification {

    private static final String GRANT_TYPE = OAuth2ParameterNames.GRANT_TYPE;
    /** Stands for the grant at the device authorization endpoint, where no grant_type is sent. */
    private static final String DEVICE_AUTHORIZATION = "device_authorization";

    private PublicClientIdentification() {
    }

    static AuthenticationConverter converter(AuthorizationServerSettings settings) {
        RequestMatcher deviceAuthorization = PathPatternRequestMatcher.withDefaults()
                .matcher(HttpMethod.POST, settings.getDeviceAuthorizationEndpoint());
        return request -> convert(request, deviceAuthorization.matches(request));
    }

    static AuthenticationProvider provider(RegisteredClientRepository clients) {
        return new Provider(clients);
    }

    private static Authentication convert(HttpServletRequest request, boolean deviceAuthorization) {
        String grantType = deviceAuthorization ? DEVICE_AUTHORIZATION : request.getParameter(GRANT_TYPE);
        if (!(SupportedGrantTypes.PASSWORD.getValue().equals(grantType)
                || AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(grantType)
                || SupportedGrantTypes.DEVICE_CODE.getValue().equals(grantType)
                || DEVICE_AUTHORIZATION.equals(grantType))
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                // a client assertion (private_key_jwt) is the client authenticating, not a public client
                || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
            return null;
        }
        String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
        if (clientIds == null || clientIds.length != 1 || clientIds[0].isBlank() || clientIds[0].length() > 100) {
            return null;
        }
        return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null,
                Map.of(GRANT_TYPE, grantType));
    }

    private static final class Provider implements AuthenticationProvider {

        private final RegisteredClientRepository clients;

        Provider(RegisteredClientRepository clients) {
            this.clients = clients;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
            if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())
                    || !(token.getAdditionalParameters().get(GRANT_TYPE) instanceof String grantType)) {
                return null;
            }
            RegisteredClient client = clients.findByClientId((String) token.getPrincipal());
            if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
                    || !DEVICE_AUTHORIZATION.equals(grantType)
                    && !client.getAuthorizationGrantTypes().contains(new AuthorizationGrantType(grantType))) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
            }
            return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
