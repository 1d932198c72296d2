package io.latchkey.oauth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import io.latchkey.client.ClientPolicies;

/**
 * Introspection answers a client only for tokens issued to that client, unless the client is declared a
 * resource server ({@code latchkey.clients.<id>.resource-server: true}), whose job is to check tokens
 * presented to it. For any other client's token the answer is {@code {"active":false}}, as for an unknown
 * token (RFC 7662 section 2.2), so that a client cannot learn who another client's user is or what scopes
 * another client holds. Stored and stateless tokens alike: the framework's introspection, which finds both,
 * runs first and names the token's client.
 */
final class OwnTokenIntrospection implements AuthenticationProvider {

    private final AuthenticationProvider introspection;

    OwnTokenIntrospection(AuthenticationProvider introspection) {
        this.introspection = introspection;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Authentication result = introspection.authenticate(authentication);
        if (!(result instanceof OAuth2TokenIntrospectionAuthenticationToken answer)
                || !(answer.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller)
                || answer.getTokenClaims() == null || !answer.getTokenClaims().isActive()) {
            return result;
        }
        RegisteredClient client = caller.getRegisteredClient();
        boolean mayKnow = client != null && (ClientPolicies.isResourceServer(client)
                || client.getClientId().equals(answer.getTokenClaims().getClientId()));
        return mayKnow ? result : new OAuth2TokenIntrospectionAuthenticationToken(answer.getToken(), caller,
                OAuth2TokenIntrospection.builder().build());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return introspection.supports(authentication);
    }
}
