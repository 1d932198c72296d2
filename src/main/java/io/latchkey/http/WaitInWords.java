package io.latchkey.http;

import java.util.Optional;

/**
 * The wait that a {@code Retry-After} header in seconds asks for, as people say it: "1 second", "30 seconds",
 * "2 minutes", "1 hour". Seconds under a minute, then whole minutes rounded up, then whole hours rounded up, so
 * the page never promises less than the header.
 */
record WaitInWords(String messageKey, long amount) {

    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;

    static Optional<WaitInWords> of(String retryAfter) {
        if (retryAfter == null || !retryAfter.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(ofSeconds(Math.max(1, Long.parseLong(retryAfter))));
    }

    static WaitInWords ofSeconds(long seconds) {
        if (seconds < MINUTE) {
            return new WaitInWords("error.wait.seconds", seconds);
        }
        if (seconds < HOUR) {
            return new WaitInWords("error.wait.minutes", (seconds + MINUTE - 1) / MINUTE);
        }
        return new WaitInWords("error.wait.hours", (seconds + HOUR - 1) / HOUR);
    }
}
