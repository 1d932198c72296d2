package io.latchkey.mail;

import java.time.Duration;
import java.util.Locale;

import org.springframework.context.MessageSource;

/**
 * A duration as a mail says it, in words of the reader's language: "60 minutes", "24 hours", "7 days", never
 * "1,440 minutes". Whole days from two days on, whole hours from two hours on, minutes below that; always
 * rounded down, so a mail never promises more time than there is. German needs the case of the sentence around
 * it: {@link Case#AFTER_IN} ("läuft in 24 Stunden ab", dative) or {@link Case#HOW_LONG} ("7 Tage lang").
 */
public record DurationInWords(Duration duration, Case grammaticalCase) {

    /** Where the words stand in the sentence. */
    public enum Case {
        /** "expires in …": dative in German ("in 7 Tagen"). */
        AFTER_IN("duration.in."),
        /** "works for …": accusative in German ("7 Tage lang"). */
        HOW_LONG("duration.for.");

        private final String keyPrefix;

        Case(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    public DurationInWords {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("A duration in words is zero or more");
        }
    }

    /** The message key of the unit ({@code duration.in.hours}, ...) and the amount it is said with. */
    String messageKey() {
        return grammaticalCase.keyPrefix + unit();
    }

    long amount() {
        return switch (unit()) {
            case "days" -> duration.toDays();
            case "hours" -> duration.toHours();
            default -> duration.toMinutes();
        };
    }

    String in(MessageSource messages, Locale locale) {
        // the amount twice: to choose singular or plural, and as plain digits (no "1,440")
        return messages.getMessage(messageKey(), new Object[] { amount(), Long.toString(amount()) }, locale);
    }

    private String unit() {
        if (duration.toHours() >= 48) {
            return "days";
        }
        return duration.toHours() >= 2 ? "hours" : "minutes";
    }
}
