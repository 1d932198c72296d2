package io.latchkey.oauth.par;

import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.latchkey.client.ClientPolicies;

/**
 * A client registered with {@code require_pushed_authorization_requests} (RFC 9126 section 6) sends its
 * authorization requests through the PAR endpoint only: at the authorization endpoint it may present a
 * {@code request_uri} and nothing else. Runs at the authorization endpoint after the redirect URI is verified, so
 * the refusal goes back to the client. The framework has already replaced a request that came with a valid
 * {@code request_uri} by the pushed one (and refused an unknown, expired or foreign one), so a request that
 * reaches this check with a {@code request_uri} was pushed.
 */
final class PushedRequestRequired implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    static final String DESCRIPTION = "pushed authorization request required";

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (!ClientPolicies.requiresPushedAuthorizationRequests(context.getRegisteredClient()) || wasPushed()) {
            return;
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String redirectUri = request.getRedirectUri() != null ? request.getRedirectUri()
                : context.getRegisteredClient().getRedirectUris().iterator().next();
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, DESCRIPTION, null),
                new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                        request.getClientId(), (Authentication) request.getPrincipal(), redirectUri,
                        request.getState(), request.getScopes(), request.getAdditionalParameters()));
    }

    /** Whether the request in hand came with a request_uri: the servlet request as it arrived, not as wrapped. */
    private static boolean wasPushed() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return false;
        }
        HttpServletRequest request = attributes.getRequest();
        String requestUri = request.getParameter(OAuth2ParameterNames.REQUEST_URI);
        return requestUri != null && requestUri.startsWith(ShortLivedRequestUris.PREFIX);
    }
}
