package io.latchkey.audit;

import java.util.UUID;


import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;


/**
 * Records user sign-ins from Spring Security's authentication events (published by the
 * {@code DefaultAuthenticationEventPublisher} that Spring Boot configures).
 *
 * <p>Those events also report every other authentication: OAuth client authentication at the token,
 * revocation and introspection endpoints, authorization and token requests, bearer tokens at UserInfo.
 * Only a username-and-password sign-in of a user is a login, so only those are recorded. A failed
 * attempt stores the email of the account it tried, never the password. A username that names no account
 * is not stored at all (the row says {@code "account": "unknown"}): it is often a password typed into the
 * wrong field, and even a keyed hash of it could be tested against guesses by whoever holds the key.
 */
@Component
class LoginAuditListener {


    private final AuditLog audit;
    private final KnownAccounts accounts;

    LoginAuditListener(AuditLog audit, KnownAccounts accounts) {
        this.audit = audit;
        this.accounts = accounts;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        Authentication authentication = event.getAuthentication();
        if (!isUserLogin(authentication)) {
            return;
        }
        UUID userId = userId(authentication.getName());
        AuditEvent audited = AuditEvent.of(AuditEventType.LOGIN_SUCCEEDED).user(userId);
        // a sign-in must not fail because its audit record could not be put together or written
        audit.recordBestEffort(() -> userId == null ? audited.subject(authentication.getName()) : audited);
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        Authentication attempt = event.getAuthentication();
        if (!isUserLogin(attempt)) {
            return;
        }
        String typed = attempt.getPrincipal() instanceof String username ? username : attempt.getName();
        audit.recordBestEffort(() -> {
            AuditEvent failed = AuditEvent.of(AuditEventType.LOGIN_FAILED).detail("reason", reason(event));
            return accounts.emailOf(typed).map(failed::subject).orElseGet(() -> failed.detail("account", "unknown"));
        });
    }

    private static boolean isUserLogin(Authentication authentication) {
        return authentication instanceof UsernamePasswordAuthenticationToken;
    }

    /** The event's kind, such as {@code bad_credentials} or {@code locked}: never its message, which may echo input. */
    private static String reason(AbstractAuthenticationFailureEvent event) {
        String name = event.getClass().getSimpleName().replaceFirst("^AuthenticationFailure", "")
                .replaceFirst("Event$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static UUID userId(String name) {
        try {
            return UUID.fromString(name);
        }
        catch (IllegalArgumentException notAUserId) {
            return null;
        }
    }
}
