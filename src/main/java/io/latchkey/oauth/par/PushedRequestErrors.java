package io.latchkey.oauth.par;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import io.latchkey.oauth.OAuthErrorDescriptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PAR endpoint's errors (RFC 9126 section 2.3): the JSON of RFC 6749 section 5.2 with 400, never a redirect,
 * whatever the check that refused the request (the same checks as at the authorization endpoint, which would send
 * most of them to the redirect URI).
 */
final class PushedRequestErrors implements AuthenticationFailureHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth
                ? OAuthErrorDescriptions.readable(oauth.getError())
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
        write(response, HttpStatus.BAD_REQUEST, error.getErrorCode(), error.getDescription());
    }

    static void write(HttpServletResponse response, HttpStatus status, String code, String description)
            throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        if (description != null && !description.isBlank()) {
            body.put("error_description", description);
        }
        response.setStatus(status.value());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
