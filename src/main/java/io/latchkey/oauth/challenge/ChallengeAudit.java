package io.latchkey.oauth.challenge;

import java.util.Collection;
import java.util.TreeSet;
import java.util.UUID;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * The audit trail of the challenge flow: started, second factor needed, completed, refused. Best effort: a
 * sign-in does not fail because the trail could not be written. The client is the subject; the typed email never
 * is (a wrong password is already recorded as a failed sign-in by the password step).
 */
final class ChallengeAudit {

    private final AuditLog audit;

    ChallengeAudit(AuditLog audit) {
        this.audit = audit;
    }

    void started(String clientId) {
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.AUTHORIZATION_CHALLENGE_STARTED).subject(clientId));
    }

    void secondFactorNeeded(String clientId, UUID userId) {
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.AUTHORIZATION_CHALLENGE_SECOND_FACTOR_NEEDED)
                .user(userId).subject(clientId));
    }

    void completed(String clientId, UUID userId, Collection<String> factors) {
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.AUTHORIZATION_CHALLENGE_COMPLETED)
                .user(userId).subject(clientId).detail("factors", String.join(" ", new TreeSet<>(factors))));
    }

    /** {@code userId} null when the user is not known (a wrong password, an unknown session). */
    void refused(String clientId, UUID userId, String reason) {
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.AUTHORIZATION_CHALLENGE_REFUSED)
                .user(userId).subject(clientId).detail("reason", reason));
    }
}
