package io.latchkey.oauth.refresh;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.tokens.AuthorizationStore;

/**
 * Refresh-token reuse detection (RFC 9700 section 4.14.2): a refresh token that rotation replaced, presented
 * again, means someone holds a copy. Everything issued from that login is revoked, and that is said once (a
 * thief retrying the token after that finds nothing left to end): one warning in the log, one
 * {@code REFRESH_TOKEN_REUSED} audit event. {@link ReuseDetectingAuthorizationService} applies it wherever a
 * token is looked up.
 */
final class RefreshTokenReuse {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokenReuse.class);

    private final AuthorizationStore store;
    private final AuditLog audit;

    RefreshTokenReuse(AuthorizationStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    void presentedAgain(AuthorizationStore.RetiredRefreshToken token) {
        if (!store.revokeAll(token.authorizationId())) {
            return;
        }
        log.warn("Rotated refresh token presented again for client {}; revoked all tokens of authorization {}",
                token.registeredClientId(), token.authorizationId());
        audit.recordBestEffort(() -> {
            AuditEvent event = AuditEvent.of(AuditEventType.REFRESH_TOKEN_REUSED)
                    .subject(token.principalName())
                    .detail("client", token.registeredClientId());
            UUID user = userIdOf(token.principalName());
            return user == null ? event : event.user(user);
        });
    }

    private static UUID userIdOf(String principalName) {
        try {
            return UUID.fromString(principalName);
        }
        catch (IllegalArgumentException notAUser) {
            return null;
        }
    }
}
