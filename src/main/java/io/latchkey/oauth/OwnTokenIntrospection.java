package io.latchkey.oauth;

import java.time.Instant;

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
        if (!mayKnow) {
            return new OAuth2TokenIntrospectionAuthenticationToken(answer.getToken(), caller,
                    OAuth2TokenIntrospection.builder().build());
        }
        return withSignInClaimsTyped(answer, caller);
    }

    /**
     * The answer carries the access token's claims, {@code auth_time}, {@code amr} and {@code acr} among them
     * (RFC 9068 section 2.2.1); {@code auth_time} comes back from the token store as an instant, which the answer
     * must give as seconds like {@code exp} and {@code iat}.
     */
    private static Authentication withSignInClaimsTyped(OAuth2TokenIntrospectionAuthenticationToken answer,
            OAuth2ClientAuthenticationToken caller) {
        if (!(answer.getTokenClaims().getClaims().get("auth_time") instanceof Instant)) {
            return answer;
        }
        OAuth2TokenIntrospection typed = OAuth2TokenIntrospection.withClaims(answer.getTokenClaims().getClaims())
                .claims(claims -> RegisteredClaimTypes.applyTo(claims, false))
                .build();
        return new OAuth2TokenIntrospectionAuthenticationToken(answer.getToken(), caller, typed);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return introspection.supports(authentication);
    }
}
