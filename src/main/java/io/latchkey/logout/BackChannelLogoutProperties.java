package io.latchkey.logout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How logout tokens are delivered (OpenID Connect Back-Channel Logout 1.0), under
 * {@code latchkey.backchannel-logout}. A wrong value stops the start with every problem named.
 *
 * @param tokenLifetime how long a logout token is valid ({@code exp} minus {@code iat})
 * @param connectTimeout how long to wait for a client's server to accept the connection
 * @param readTimeout how long to wait for its answer
 * @param maxAttempts attempts per logout token before giving up
 * @param initialBackoff the wait after the first failed attempt; it doubles after each further one
 * @param maxBackoff the longest wait between two attempts
 * @param pollInterval how often each instance looks for due deliveries (other instances' too)
 * @param concurrency deliveries one instance makes at once
 * @param retention how long delivered and abandoned deliveries are kept
 * @param sessionRetention how long it is remembered which clients got tokens in a session, after the last one
 * @param purgeInterval how often each instance purges what is past its retention
 */
@ConfigurationProperties("latchkey.backchannel-logout")
record BackChannelLogoutProperties(Duration tokenLifetime, Duration connectTimeout, Duration readTimeout,
        Integer maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration pollInterval, Integer concurrency,
        Duration retention, Duration sessionRetention, Duration purgeInterval) {

    static final String PREFIX = "latchkey.backchannel-logout.";

    BackChannelLogoutProperties {
        tokenLifetime = orDefault(tokenLifetime, Duration.ofMinutes(2));
        connectTimeout = orDefault(connectTimeout, Duration.ofSeconds(2));
        readTimeout = orDefault(readTimeout, Duration.ofSeconds(5));
        maxAttempts = maxAttempts == null ? 8 : maxAttempts;
        initialBackoff = orDefault(initialBackoff, Duration.ofSeconds(10));
        maxBackoff = orDefault(maxBackoff, Duration.ofMinutes(15));
        pollInterval = orDefault(pollInterval, Duration.ofSeconds(5));
        concurrency = concurrency == null ? 4 : concurrency;
        retention = orDefault(retention, Duration.ofDays(7));
        sessionRetention = orDefault(sessionRetention, Duration.ofDays(30));
        purgeInterval = orDefault(purgeInterval, Duration.ofMinutes(10));
        List<String> problems = new ArrayList<>();
        between(problems, "token-lifetime", tokenLifetime, Duration.ofSeconds(10), Duration.ofMinutes(10));
        between(problems, "connect-timeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(1));
        between(problems, "read-timeout", readTimeout, Duration.ofMillis(100), Duration.ofMinutes(1));
        if (maxAttempts < 1 || maxAttempts > 50) {
            problems.add(PREFIX + "max-attempts must be between 1 and 50, not " + maxAttempts);
        }
        between(problems, "initial-backoff", initialBackoff, Duration.ofMillis(100), Duration.ofHours(1));
        between(problems, "max-backoff", maxBackoff, Duration.ofMillis(100), Duration.ofDays(1));
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            problems.add(PREFIX + "max-backoff (" + maxBackoff + ") must not be shorter than initial-backoff ("
                    + initialBackoff + ")");
        }
        between(problems, "poll-interval", pollInterval, Duration.ofMillis(100), Duration.ofMinutes(5));
        if (concurrency < 1 || concurrency > 64) {
            problems.add(PREFIX + "concurrency must be between 1 and 64, not " + concurrency);
        }
        between(problems, "retention", retention, Duration.ofHours(1), Duration.ofDays(365));
        between(problems, "session-retention", sessionRetention, Duration.ofHours(1), Duration.ofDays(365));
        between(problems, "purge-interval", purgeInterval, Duration.ofSeconds(1), Duration.ofDays(1));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid back-channel logout settings: " + String.join("; ", problems));
        }
    }

    /**
     * How long a claimed delivery is left to the instance that claimed it: longer than any attempt can
     * take, so that only a dead instance's claim is taken over.
     */
    Duration lease() {
        return connectTimeout.plus(readTimeout).plus(Duration.ofSeconds(30));
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value == null ? fallback : value;
    }

    private static void between(List<String> problems, String name, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(PREFIX + name + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
