package io.latchkey.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to record: what happened, to which user (if known), on what subject (for example the email
 * tried at a failed sign-in, or a client id), and a few details as plain key-value facts.
 *
 * <p>Details must never carry a secret. A key that names one (containing {@code password},
 * {@code secret}, {@code token}, {@code code} or {@code verifier}, in any case) is refused with an
 * {@link IllegalArgumentException}, so that a mistake fails loudly in development instead of leaking
 * into the audit table. The time, client IP and user agent are added when the event is recorded.
 *
 * <pre>{@code
 * audit.record(AuditEvent.of(AuditEventType.EMAIL_CHANGED).user(userId).detail("reason", "user request"));
 * }</pre>
 */
public record AuditEvent(AuditEventType type, UUID userId, String subject, Map<String, String> details) {

    /** At most this many details, each key at most {@value #MAX_KEY_LENGTH} characters. */
    public static final int MAX_DETAILS = 16;
    public static final int MAX_KEY_LENGTH = 64;
    private static final String[] SECRET_WORDS = { "password", "secret", "token", "code", "verifier" };

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Map<String, String> copy = new LinkedHashMap<>();
        if (details != null) {
            if (details.size() > MAX_DETAILS) {
                throw new IllegalArgumentException("At most " + MAX_DETAILS + " audit details");
            }
            details.forEach((key, value) -> {
                checkKey(key);
                copy.put(key, value);
            });
        }
        details = Collections.unmodifiableMap(copy);
    }

    public static AuditEvent of(AuditEventType type) {
        return new AuditEvent(type, null, null, Map.of());
    }

    /** The same event about the given user. */
    public AuditEvent user(UUID userId) {
        return new AuditEvent(type, userId, subject, details);
    }

    /** The same event about the given subject (an email, a client id). */
    public AuditEvent subject(String subject) {
        return new AuditEvent(type, userId, subject, details);
    }

    /** The same event with one more detail. */
    public AuditEvent detail(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new AuditEvent(type, userId, subject, more);
    }

    /** The same event with the acting party as the detail {@code actor} (a user id, or {@code client:<id>}). */
    public AuditEvent actor(String actor) {
        return detail("actor", actor);
    }

    /** The same event with the detail {@code outcome}: {@value #SUCCEEDED} or {@value #REFUSED}. */
    public AuditEvent outcome(String outcome) {
        return detail("outcome", outcome);
    }

    public static final String SUCCEEDED = "succeeded";
    public static final String REFUSED = "refused";

    private static void checkKey(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("Audit detail keys are 1 to " + MAX_KEY_LENGTH + " characters");
        }
        String lower = key.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                throw new IllegalArgumentException("Audit details never hold secrets; refused key '" + key
                        + "' (keys may not contain " + String.join(", ", SECRET_WORDS) + ")");
            }
        }
    }
}
