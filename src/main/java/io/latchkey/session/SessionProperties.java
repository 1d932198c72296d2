package io.latchkey.session;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Lifetimes of browser sessions, under {@code latchkey.session}. Every instance enforces them, since they are
 * written into the shared store with each session.
 *
 * @param idleTimeout a session nobody used for this long ends
 * @param absoluteTimeout a session ends this long after it began, however busy it is; the user signs in again
 * @param purgeInterval how often each instance deletes the rows of sessions that ended by time
 */
@ConfigurationProperties("latchkey.session")
public record SessionProperties(Duration idleTimeout, Duration absoluteTimeout, Duration purgeInterval) {

    public SessionProperties {
        idleTimeout = idleTimeout == null ? Duration.ofHours(8) : idleTimeout;
        absoluteTimeout = absoluteTimeout == null ? Duration.ofHours(24) : absoluteTimeout;
        purgeInterval = purgeInterval == null ? Duration.ofMinutes(1) : purgeInterval;
        requireAtLeastOneSecond(idleTimeout, "latchkey.session.idle-timeout");
        requireAtLeastOneSecond(absoluteTimeout, "latchkey.session.absolute-timeout");
        requireAtLeastOneSecond(purgeInterval, "latchkey.session.purge-interval");
        if (idleTimeout.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("latchkey.session.idle-timeout is too long");
        }
    }

    private static void requireAtLeastOneSecond(Duration value, String name) {
        if (value.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(name + " must be at least 1s");
        }
    }
}
