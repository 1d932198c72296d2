package io.latchkey.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as the console shows them: in UTC, to the minute, and the same in every language. */
final class AdminTimes {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHOWN_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private AdminTimes() {
    }

    /** {@code 2026-11-30 08:15 UTC}; empty for null. */
    static String minute(Instant time) {
        return time == null ? "" : SHOWN.format(time);
    }

    /** {@code 2026-11-30 08:15:42 UTC}; empty for null. */
    static String second(Instant time) {
        return time == null ? "" : SHOWN_SECONDS.format(time);
    }

    /** {@code 08:00}: the hour a bar of the dashboard stands for. */
    static String hour(Instant time) {
        return HOUR.format(time);
    }

    /** Whole days, and the hours beyond them. */
    static long[] daysAndHours(Duration age) {
        return new long[] { age.toDays(), age.toHoursPart() };
    }
}
