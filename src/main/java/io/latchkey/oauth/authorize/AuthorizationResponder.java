package io.latchkey.oauth.authorize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import io.latchkey.http.ErrorPages;
import io.latchkey.oauth.OAuthErrorDescriptions;

/**
 * Answers the authorization endpoint. Every response to the client's redirect URI carries {@code iss}
 * (RFC 9207) so the client can tell which server answered. An error goes back to the client only when
 * its redirect URI was verified; otherwise the user sees an error page and is never redirected. With
 * {@code response_mode=form_post} ({@link ResponseModes}) the same parameters go as a form post
 * ({@link FormPostResponse}) instead of the query.
 */
public final class AuthorizationResponder implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private final String issuer;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();
    private final RequestCache requestCache;
    private final PendingReauthentication pendingReauthentication;
    private final FormPostResponse formPost;

    AuthorizationResponder(String issuer, RequestCache requestCache, PendingReauthentication pendingReauthentication,
            FormPostResponse formPost) {
        this.pendingReauthentication = pendingReauthentication;
        this.formPost = formPost;
        this.issuer = issuer;
        this.requestCache = requestCache;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        var result = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
        pendingReauthentication.forget(request, response);
        PendingStepUp.forget(request);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(OAuth2ParameterNames.CODE, result.getAuthorizationCode().getTokenValue());
        addStateAndIssuer(parameters, result.getState());
        answer(request, response, result.getRedirectUri(), parameters);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException, ServletException {
        if (exception instanceof ReauthenticationRequiredException) {
            requestCache.saveRequest(request, response);
            redirects.sendRedirect(request, response, "/login");
            return;
        }
        if (exception instanceof StepUpRequiredException stepUp) {
            requestCache.saveRequest(request, response);
            redirects.sendRedirect(request, response, stepUp.page());
            return;
        }
        OAuth2Error error = OAuthErrorDescriptions.readable(
                ((org.springframework.security.oauth2.core.OAuth2AuthenticationException) exception).getError());
        OAuth2AuthorizationCodeRequestAuthenticationToken failed =
                exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException codeRequestException
                        ? codeRequestException.getAuthorizationCodeRequestAuthentication() : null;
        String redirectUri = verifiedRedirectUri(failed);
        if (redirectUri == null) {
            ErrorPages.sendOAuthError(request, response, HttpStatus.BAD_REQUEST, error.getErrorCode(),
                    error.getDescription());
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(OAuth2ParameterNames.ERROR, error.getErrorCode());
        if (StringUtils.hasText(error.getDescription())) {
            parameters.put(OAuth2ParameterNames.ERROR_DESCRIPTION, error.getDescription());
        }
        if (StringUtils.hasText(error.getUri())) {
            parameters.put(OAuth2ParameterNames.ERROR_URI, error.getUri());
        }
        addStateAndIssuer(parameters, failed.getState());
        answer(request, response, redirectUri, parameters);
    }

    /** The parameters to the redirect URI: in its query, or as a form post when the request asked for one. */
    private void answer(HttpServletRequest request, HttpServletResponse response, String redirectUri,
            Map<String, String> parameters) throws IOException {
        if (ResponseModes.formPost(request)) {
            formPost.send(request, response, redirectUri, parameters);
            return;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirectUri);
        parameters.forEach((name, value) -> uri.queryParam(name, encode(value)));
        redirects.sendRedirect(request, response, uri.build(true).toUriString());
    }

    /**
     * The authorization server leaves the redirect URI out of a failed request whenever it could not be
     * verified (unknown client, unregistered redirect URI): then there is nowhere safe to send the error.
     */
    private static String verifiedRedirectUri(OAuth2AuthorizationCodeRequestAuthenticationToken failed) {
        return failed == null || !StringUtils.hasText(failed.getRedirectUri()) ? null : failed.getRedirectUri();
    }

    private void addStateAndIssuer(Map<String, String> parameters, String state) {
        if (StringUtils.hasText(state)) {
            parameters.put(OAuth2ParameterNames.STATE, state);
        }
        parameters.put("iss", issuer);
    }

    private static String encode(String value) {
        return UriUtils.encode(value, StandardCharsets.UTF_8);
    }
}
