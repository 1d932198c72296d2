package io.latchkey.oauth;

import java.time.Instant;
import java.util.List;

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
 * runs first and names the token's client. A client with a resource indicator is answered only for tokens whose
 * audience is it ({@link #isForTheResourceServer}).
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
        boolean mayKnow = client != null && !isIdToken(answer) && (ClientPolicies.resourceIndicator(client) != null
                ? isForTheResourceServer(client, answer.getTokenClaims())
                : ClientPolicies.isResourceServer(client)
                        || client.getClientId().equals(answer.getTokenClaims().getClientId()));
        if (!mayKnow) {
            return new OAuth2TokenIntrospectionAuthenticationToken(answer.getToken(), caller,
                    OAuth2TokenIntrospection.builder().build());
        }
        return withSignInClaimsTyped(answer, caller);
    }

    /**
     * The store finds ID tokens too, and the framework answers for them as active; but an ID token is no access
     * token (RFC 9068 section 4), and a resource server that introspects must not take it for one. An access
     * token's answer has a {@code token_type}, a refresh token is no JWT: a JWT without one is an ID token.
     */
    private static boolean isIdToken(OAuth2TokenIntrospectionAuthenticationToken answer) {
        return answer.getTokenClaims().getTokenType() == null
                && answer.getToken().chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * A client with a resource indicator (RFC 8707) is a resource server told only about tokens meant for it: whose
     * {@code aud} holds its indicator or its client id. Any other token is, to it, not active (wrong audience),
     * whether or not it is also declared a resource server.
     */
    private static boolean isForTheResourceServer(RegisteredClient client, OAuth2TokenIntrospection claims) {
        String indicator = ClientPolicies.resourceIndicator(client);
        List<String> audience = claims.getAudience();
        return audience != null && (audience.contains(indicator) || audience.contains(client.getClientId()));
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
