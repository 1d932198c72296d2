package io.latchkey.keys;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * The signing keys as the admin console and the admin API see them: the list (public facts only) and rotating now,
 * which is recorded as {@link AuditEventType#SIGNING_KEY_ROTATED}. Whether the caller may is checked where it calls.
 */
@Service
public class SigningKeyAdministration {

    private final SigningKeys keys;
    private final AuditLog audit;
    private final Clock clock;

    SigningKeyAdministration(SigningKeys keys, AuditLog audit, Clock clock) {
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every stored key, newest first. */
    public List<SigningKeyInfo> list() {
        return keys.list();
    }

    /** Retires the active key (it stays published) and makes a new one active; returns the new kid. */
    public String rotate(UUID actor) {
        String retired = keys.list().stream().filter(key -> key.retiredAt() == null).map(SigningKeyInfo::kid)
                .findFirst().orElse(null);
        String created = keys.rotateNow();
        AuditEvent rotated = AuditEvent.of(AuditEventType.SIGNING_KEY_ROTATED)
                .subject("key:" + created)
                .actor(actor.toString())
                .outcome(AuditEvent.SUCCEEDED);
        audit.record(retired == null ? rotated : rotated.detail("retired", "key:" + retired));
        return created;
    }

    /** The clock the ages in {@link #list()} are measured against. */
    public Instant now() {
        return clock.instant();
    }
}
