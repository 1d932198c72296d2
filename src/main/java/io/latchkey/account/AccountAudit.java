package io.latchkey.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/** The account events worth an audit record, and the sign-ins the account page lists. */
@Component
class AccountAudit {

    private final AuditLog auditLog;

    AccountAudit(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** Records the event; a failure to record is logged and never undoes what the user did. */
    void record(AuditEventType type, UUID userId, String subject) {
        auditLog.recordBestEffort(() -> {
            AuditEvent event = AuditEvent.of(type).user(userId);
            return subject == null ? event : event.subject(subject);
        });
    }

    List<SignIn> recentSignIns(UUID userId, int limit) {
        return auditLog.recent(userId, 100).stream()
                .filter(event -> event.type() == AuditEventType.LOGIN_SUCCEEDED
                        || event.type() == AuditEventType.PASSKEY_SIGNED_IN)
                .limit(limit)
                .map(event -> new SignIn(event.occurredAt(), event.clientIp(), event.userAgent()))
                .toList();
    }

    record SignIn(Instant at, String clientIp, String userAgent) {
    }
}
