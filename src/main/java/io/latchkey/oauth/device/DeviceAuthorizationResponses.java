package io.latchkey.oauth.device;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2DeviceAuthorizationResponse;
import org.springframework.security.oauth2.core.http.converter.OAuth2DeviceAuthorizationResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ErrorAuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;

import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * The answers of the device authorization endpoint (RFC 8628 section 3.2): the codes, the activation page as
 * {@code verification_uri} and with the user code as {@code verification_uri_complete}, {@code expires_in} and the
 * polling {@code interval}; errors as RFC 6749 section 5.2 JSON, 429 over the start limit.
 */
final class DeviceAuthorizationResponses implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private final OAuth2DeviceAuthorizationResponseHttpMessageConverter converter =
            new OAuth2DeviceAuthorizationResponseHttpMessageConverter();
    private final OAuth2ErrorAuthenticationFailureHandler errors = new OAuth2ErrorAuthenticationFailureHandler();
    private final String activationPage;
    private final DeviceSettings settings;

    DeviceAuthorizationResponses(String activationPage, DeviceSettings settings) {
        this.activationPage = activationPage;
        this.settings = settings;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        OAuth2DeviceAuthorizationRequestAuthenticationToken started =
                (OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
        String userCode = started.getUserCode().getTokenValue();
        OAuth2DeviceAuthorizationResponse answer = OAuth2DeviceAuthorizationResponse
                .with(started.getDeviceCode(), started.getUserCode())
                .verificationUri(activationPage)
                .verificationUriComplete(UriComponentsBuilder.fromUriString(activationPage)
                        .queryParam("user_code", userCode).build().toUriString())
                .interval(settings.interval().toSeconds())
                .build();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        converter.write(answer, null, new ServletServerHttpResponse(response));
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException, ServletException {
        Optional<Verdict> limited = RateLimitExceededException.find(exception);
        if (limited.isPresent()) {
            RateLimitResponses.writeOAuthError(response, limited.get());
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        errors.onAuthenticationFailure(request, response, exception);
    }
}
