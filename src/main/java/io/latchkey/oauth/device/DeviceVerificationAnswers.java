package io.latchkey.oauth.device;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * What the browser sees after the framework's verification endpoint: the "you may return to your device" page after
 * an approval or a denial (each audited), the activation page with a message for a code that is unknown, expired or
 * used, the 429 page when too many wrong codes came from its IP.
 */
final class DeviceVerificationAnswers implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private final AuditLog audit;

    DeviceVerificationAnswers(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        OAuth2DeviceVerificationAuthenticationToken approved = (OAuth2DeviceVerificationAuthenticationToken) authentication;
        String userName = approved.getPrincipal() instanceof Authentication user ? user.getName() : null;
        String scopes = request.getParameterValues(OAuth2ParameterNames.SCOPE) == null ? ""
                : String.join(" ", request.getParameterValues(OAuth2ParameterNames.SCOPE));
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.DEVICE_AUTHORIZATION_APPROVED)
                .user(userId(userName)).subject(approved.getClientId()).detail("scopes", scopes));
        response.sendRedirect(request.getContextPath() + ActivationController.DONE);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        Optional<Verdict> limited = RateLimitExceededException.find(exception);
        if (limited.isPresent()) {
            RateLimitResponses.sendHostedPage(request, response, limited.get());
            return;
        }
        if (exception instanceof OAuth2AuthenticationException refused
                && OAuth2ErrorCodes.ACCESS_DENIED.equals(refused.getError().getErrorCode())) {
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.DEVICE_AUTHORIZATION_DENIED)
                    .user(userId(user == null ? null : user.getName())).subject(clientId));
            response.sendRedirect(request.getContextPath() + ActivationController.DENIED);
            return;
        }
        response.sendRedirect(request.getContextPath() + ActivationController.PATH + "?error=code");
    }

    private static UUID userId(String name) {
        try {
            return name == null ? null : UUID.fromString(name);
        }
        catch (IllegalArgumentException notAUserId) {
            return null;
        }
    }
}
