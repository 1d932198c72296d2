package io.latchkey.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.springframework.session.Session;

/**
 * A stored session that knows whether anything but its last access changed since it was read, so that a request
 * which only touched it need not write it back every time ({@link SharedSessions}).
 */
final class TrackedSession implements Session {

    final Session stored;
    /** The last access as the store holds it; null for a session not stored yet. */
    private Instant storedLastAccess;
    private boolean changed;

    TrackedSession(Session stored, boolean isNew) {
        this.stored = stored;
        this.storedLastAccess = isNew ? null : stored.getLastAccessedTime();
    }

    /** Whether saving it can wait: stored already, nothing changed, and last written less than {@code slack} ago. */
    boolean unchangedWithin(Duration slack) {
        return storedLastAccess != null && !changed
                && Duration.between(storedLastAccess, stored.getLastAccessedTime()).compareTo(slack) < 0;
    }

    void saved() {
        storedLastAccess = stored.getLastAccessedTime();
        changed = false;
    }

    @Override
    public String getId() {
        return stored.getId();
    }

    @Override
    public String changeSessionId() {
        changed = true;
        return stored.changeSessionId();
    }

    @Override
    public <T> T getAttribute(String attributeName) {
        return stored.getAttribute(attributeName);
    }

    @Override
    public Set<String> getAttributeNames() {
        return stored.getAttributeNames();
    }

    @Override
    public void setAttribute(String attributeName, Object attributeValue) {
        changed = true;
        stored.setAttribute(attributeName, attributeValue);
    }

    @Override
    public void removeAttribute(String attributeName) {
        if (stored.getAttribute(attributeName) != null) {
            changed = true;
        }
        stored.removeAttribute(attributeName);
    }

    @Override
    public Instant getCreationTime() {
        return stored.getCreationTime();
    }

    @Override
    public void setLastAccessedTime(Instant lastAccessedTime) {
        stored.setLastAccessedTime(lastAccessedTime);
    }

    @Override
    public Instant getLastAccessedTime() {
        return stored.getLastAccessedTime();
    }

    @Override
    public void setMaxInactiveInterval(Duration interval) {
        if (!interval.equals(stored.getMaxInactiveInterval())) {
            changed = true;
        }
        stored.setMaxInactiveInterval(interval);
    }

    @Override
    public Duration getMaxInactiveInterval() {
        return stored.getMaxInactiveInterval();
    }

    @Override
    public boolean isExpired() {
        return stored.isExpired();
    }
}
