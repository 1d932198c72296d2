package io.latchkey.ratelimit;

import java.time.Duration;

/**
 * The answer of a rate limit check. When {@link #allowed()} is false, answer {@code 429 Too Many Requests} with
 * {@code Retry-After: }{@link #retryAfterSeconds()} (see {@link RateLimitResponses}). {@link #delay()} is the
 * slow-down that was applied before the answer (already waited for).
 */
public record Verdict(boolean allowed, Duration retryAfter, Duration delay) {

    static final Verdict ALLOWED = new Verdict(true, Duration.ZERO, Duration.ZERO);

    static Verdict allowedAfter(Duration delay) {
        return delay.isZero() ? ALLOWED : new Verdict(true, Duration.ZERO, delay);
    }

    static Verdict rejected(long nanosToWait) {
        return new Verdict(false, Duration.ofNanos(Math.max(nanosToWait, 0)), Duration.ZERO);
    }

    /** Whole seconds to wait before trying again, at least 1 when rejected: the value of {@code Retry-After}. */
    public long retryAfterSeconds() {
        if (allowed) {
            return 0;
        }
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** {@link #retryAfterSeconds()} as whole minutes, at least 1, for people. */
    public long retryAfterMinutes() {
        return Math.max(1, (retryAfterSeconds() + 59) / 60);
    }
}
