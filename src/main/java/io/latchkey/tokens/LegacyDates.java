package io.latchkey.tokens;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads the date texts that older rows of the token store hold where a NumericDate belongs: before
 * version 0.2 a {@link java.util.Date} claim was stored as its {@code toString()}
 * ({@code Sun Nov 29 10:57:24 UTC 2026}). ISO-8601 instants are accepted as well.
 */
final class LegacyDates {

    private static final DateTimeFormatter DATE_TO_STRING = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy",
            Locale.ROOT);

    private LegacyDates() {
    }

    /** The instant the text stands for, or null when it is no date this store ever wrote. */
    static Instant parse(String text) {
        try {
            return ZonedDateTime.parse(text, DATE_TO_STRING).toInstant();
        }
        catch (DateTimeParseException notDateToString) {
            try {
                return Instant.parse(text);
            }
            catch (DateTimeParseException notIso) {
                return null;
            }
        }
    }
}
