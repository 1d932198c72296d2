package io.latchkey.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.latchkey.database.DatabaseFailures;

/**
 * The audit trail: security-relevant events, stored in {@code audit_events}. When an event is recorded
 * during a request, the request's client IP and user agent are stored with it. Everything stored is
 * stripped of control characters and cut to its column's size.
 */
@Service
public class AuditLog {

    /** The most events {@link #recent} returns at once. */
    public static final int MAX_RECENT = 500;

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final AuditRepository events;
    private final Clock clock;
    private Instant lastOccurredAt = Instant.EPOCH;

    AuditLog(AuditRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Stores the event, with the time and, during a request, the client IP and user agent. */
    public RecordedAuditEvent record(AuditEvent event) {
        HttpServletRequest request = currentRequest();
        Map<String, String> details = new LinkedHashMap<>();
        event.details().forEach((key, value) -> {
            String cleanKey = AuditText.clean(key, AuditEvent.MAX_KEY_LENGTH);
            if (cleanKey != null) {
                details.put(cleanKey, AuditText.clean(value, AuditText.DETAIL_VALUE_LENGTH));
            }
        });
        RecordedAuditEvent recorded = new RecordedAuditEvent(UUID.randomUUID(), nextOccurredAt(), event.type(),
                event.userId(), AuditText.clean(event.subject(), AuditText.SUBJECT_LENGTH),
                request == null ? null : AuditText.clean(request.getRemoteAddr(), AuditText.CLIENT_IP_LENGTH),
                request == null ? null : AuditText.clean(request.getHeader("User-Agent"), AuditText.USER_AGENT_LENGTH),
                details);
        events.insert(recorded);
        return recorded;
    }

    /**
     * Stores the event like {@link #record}, but a failure to store it is logged instead of thrown: for events
     * that accompany an action (a sign-in, a lock, a revocation) which must not fail because the trail could
     * not be written.
     */
    public void recordBestEffort(Supplier<AuditEvent> event) {
        try {
            record(event.get());
        }
        catch (RuntimeException ex) {
            if (DatabaseFailures.isConnectionFailure(ex)) {
                // the outage itself is logged once, by io.latchkey.database
                log.warn("Could not record an audit event: the database is unreachable");
            }
            else {
                log.error("Could not record an audit event", ex);
            }
        }
    }

    /** The user's latest events, newest first; at most {@code limit} (capped at {@value #MAX_RECENT}). */
    public List<RecordedAuditEvent> recent(UUID userId, int limit) {
        if (userId == null || limit <= 0) {
            return List.of();
        }
        return events.recent(userId, Math.min(limit, MAX_RECENT));
    }

    /**
     * The clock's time in microseconds (what the column keeps), but always after the previous event's, so
     * that events recorded one after the other by this instance keep their order.
     */
    private synchronized Instant nextOccurredAt() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!now.isAfter(lastOccurredAt)) {
            now = lastOccurredAt.plus(1, ChronoUnit.MICROS);
        }
        lastOccurredAt = now;
        return now;
    }

    private static HttpServletRequest currentRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
    }
}
