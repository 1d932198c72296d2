package io.latchkey.logout;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed delivery is tried again: {@code initial-backoff} after the first attempt, doubling after
 * each further one up to {@code max-backoff}; after {@code max-attempts} attempts, never.
 */
final class RetrySchedule {

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;

    RetrySchedule(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxAttempts = maxAttempts;
    }

    static RetrySchedule of(BackChannelLogoutProperties properties) {
        return new RetrySchedule(properties.initialBackoff(), properties.maxBackoff(), properties.maxAttempts());
    }

    /** When to try again after attempt number {@code attempt} (1 for the first) failed; empty to give up. */
    Optional<Instant> after(int attempt, Instant failedAt) {
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(failedAt.plus(backoff(attempt)));
    }

    Duration backoff(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
