package io.latchkey.oauth.authorize;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/** How the checks that follow the redirect URI's refuse a request: with an error sent to the client's redirect URI. */
public final class AuthorizationRequestErrors {

    private AuthorizationRequestErrors() {
    }

    public static OAuth2AuthorizationCodeRequestAuthenticationException error(String code, String description,
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(code, description, null), withRedirectUri(context));
    }

    /**
     * The request as errors must carry it: with the redirect URI the client gave (already verified by
     * {@link LoopbackRedirectUris}) or, where it may be left out, the client's only registered one.
     */
    static OAuth2AuthorizationCodeRequestAuthenticationToken withRedirectUri(
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        if (request.getRedirectUri() != null) {
            return request;
        }
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                request.getClientId(), (Authentication) request.getPrincipal(),
                context.getRegisteredClient().getRedirectUris().iterator().next(), request.getState(),
                request.getScopes(), request.getAdditionalParameters());
    }
}
