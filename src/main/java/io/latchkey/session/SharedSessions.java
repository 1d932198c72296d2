package io.latchkey.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * The session store every instance shares: Spring Session's JDBC repository, with two rules of Latchkey's on top.
 *
 * <ul>
 * <li>A session lives at most {@code latchkey.session.absolute-timeout}: each save writes the earlier of the idle
 * end and the absolute end as the row's expiry, so every instance (and the purge) treats it as gone after it.</li>
 * <li>A session deleted on purpose (sign-out, end-session endpoint, account page, account changes) is announced
 * once, as {@link SessionEnded}, by the instance whose delete removed the row. Sessions that time out are not.</li>
 * </ul>
 */
final class SharedSessions implements FindByIndexNameSessionRepository<Session> {

    private final FindByIndexNameSessionRepository<Session> store;
    private final JdbcOperations jdbc;
    private final ApplicationEventPublisher events;
    private final SessionProperties lifetimes;
    private final Clock clock;

    SharedSessions(FindByIndexNameSessionRepository<Session> store, JdbcOperations jdbc,
            ApplicationEventPublisher events, SessionProperties lifetimes, Clock clock) {
        this.store = store;
        this.jdbc = jdbc;
        this.events = events;
        this.lifetimes = lifetimes;
        this.clock = clock;
    }

    @Override
    public Session createSession() {
        TrackedSession session = new TrackedSession(store.createSession(), true);
        capLifetime(session);
        return session;
    }

    /**
     * Writes the session back, unless the request only touched it and its last access was written less than
     * {@link #writeSlack()} ago: most requests then cost one read and no write. "Last seen" and the idle end are
     * so kept to within that slack.
     */
    @Override
    public void save(Session session) {
        capLifetime(session);
        if (session instanceof TrackedSession tracked) {
            if (tracked.unchangedWithin(writeSlack())) {
                return;
            }
            store.save(tracked.stored);
            tracked.saved();
        }
        else {
            store.save(session);
        }
    }

    @Override
    public Session findById(String id) {
        if (!isSessionId(id)) {
            return null; // a garbled cookie: the column holds 36 characters and would refuse a longer value
        }
        Session session = store.findById(id);
        if (session != null && isPastAbsoluteEnd(session)) {
            // timed out, not ended on purpose: no announcement
            jdbc.update("DELETE FROM SPRING_SESSION WHERE SESSION_ID = ?", id);
            return null;
        }
        return session == null ? null : new TrackedSession(session, false);
    }

    /** How stale a stored last access may get before a request writes it: a minute, or a twentieth of the idle timeout. */
    Duration writeSlack() {
        Duration twentieth = lifetimes.idleTimeout().dividedBy(20);
        return twentieth.compareTo(Duration.ofMinutes(1)) < 0 ? twentieth : Duration.ofMinutes(1);
    }

    @Override
    public void deleteById(String id) {
        end(id);
    }

    @Override
    public Map<String, Session> findByIndexNameAndIndexValue(String indexName, String indexValue) {
        Map<String, Session> live = new LinkedHashMap<>();
        store.findByIndexNameAndIndexValue(indexName, indexValue).forEach((id, session) -> {
            if (!session.isExpired() && !isPastAbsoluteEnd(session)) {
                live.put(id, new TrackedSession(session, false));
            }
        });
        return live;
    }

    /**
     * Deletes the session's row and announces the end when this call removed it and it belonged to a user.
     * True when this call removed it.
     */
    boolean end(String sessionId) {
        if (!isSessionId(sessionId)) {
            return false;
        }
        List<String> principals = jdbc.queryForList("SELECT PRINCIPAL_NAME FROM SPRING_SESSION WHERE SESSION_ID = ?",
                String.class, sessionId);
        if (principals.isEmpty()) {
            return false;
        }
        boolean removed = jdbc.update("DELETE FROM SPRING_SESSION WHERE SESSION_ID = ?", sessionId) == 1;
        if (removed && principals.get(0) != null) {
            events.publishEvent(new SessionEnded(sessionId, principals.get(0)));
        }
        return removed;
    }

    /** Deletes the rows of sessions that ended by time (idle or absolute); returns how many. */
    int purgeExpired() {
        return jdbc.update("DELETE FROM SPRING_SESSION WHERE EXPIRY_TIME < ?", clock.millis());
    }

    /** Session ids are UUIDs (Spring Session's generator); anything else names no session. */
    private static boolean isSessionId(String id) {
        return id != null && id.length() == 36;
    }

    private boolean isPastAbsoluteEnd(Session session) {
        return !session.getCreationTime().plus(lifetimes.absoluteTimeout()).isAfter(clock.instant());
    }

    /** Idle lifetime, but never past the absolute end: the stored expiry is the earlier of the two. */
    private void capLifetime(Session session) {
        Instant absoluteEnd = session.getCreationTime().plus(lifetimes.absoluteTimeout());
        Duration left = Duration.between(session.getLastAccessedTime(), absoluteEnd);
        Duration allowed = left.compareTo(lifetimes.idleTimeout()) < 0 ? left : lifetimes.idleTimeout();
        allowed = allowed.isNegative() ? Duration.ZERO : Duration.ofSeconds(allowed.toSeconds());
        if (!allowed.equals(session.getMaxInactiveInterval())) {
            session.setMaxInactiveInterval(allowed);
        }
    }
}
