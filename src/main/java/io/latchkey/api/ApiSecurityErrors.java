package io.latchkey.api;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * 401 and 403 on the API, as problem details. A 401 carries the Bearer challenge of RFC 6750; every 403
 * is recorded in the audit trail ({@code ACCESS_DENIED}, with the user and the path).
 */
@Component
class ApiSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {


    private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
    private final AuditLog auditLog;

    ApiSecurityErrors(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        challenge.commence(request, response, exception); // status 401 and WWW-Authenticate
        ApiProblems.write(response, ApiProblems.of(HttpStatus.UNAUTHORIZED, ApiProblems.UNAUTHORIZED,
                "A valid access token for this API, of an active user, is required"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
            throws IOException {
        ApiProblems.write(response, denied(request));
    }

    /** Records the denial and returns the problem to answer with. */
    org.springframework.http.ProblemDetail denied(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        auditLog.recordBestEffort(() -> {
            AuditEvent event = AuditEvent.of(AuditEventType.ACCESS_DENIED)
                    .subject(request.getMethod() + " " + request.getRequestURI())
                    .detail("path", request.getRequestURI())
                    .detail("method", request.getMethod());
            UUID user = userId(authentication);
            return user == null ? event : event.user(user);
        });
        return ApiProblems.of(HttpStatus.FORBIDDEN, ApiProblems.FORBIDDEN,
                "The token's scopes or your permissions do not allow this operation");
    }

    private static UUID userId(Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        try {
            return UUID.fromString(authentication.getName());
        }
        catch (IllegalArgumentException notAUser) {
            return null;
        }
    }
}
