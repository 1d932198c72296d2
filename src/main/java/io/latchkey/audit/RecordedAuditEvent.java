package io.latchkey.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An event as stored: with its id, time, and the client IP and user agent of the request it came from. */
public record RecordedAuditEvent(UUID id, Instant occurredAt, AuditEventType type, UUID userId, String subject,
        String clientIp, String userAgent, Map<String, String> details) {
}
