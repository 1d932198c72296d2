package io.latchkey.audit;

import java.util.regex.Pattern;

/**
 * Makes text safe to store and to show later: no control characters (NUL, which PostgreSQL refuses in
 * text, line breaks that would forge log lines or rows in an export, escape sequences) and no more
 * characters than the column holds.
 */
final class AuditText {

    static final int SUBJECT_LENGTH = 320;
    static final int CLIENT_IP_LENGTH = 64;
    static final int USER_AGENT_LENGTH = 300;
    static final int DETAIL_VALUE_LENGTH = 256;

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    private AuditText() {
    }

    /** The text without control characters, cut to at most {@code maxLength} chars; null for null or nothing left. */
    static String clean(String text, int maxLength) {
        if (text == null) {
            return null;
        }
        String cleaned = CONTROL.matcher(text).replaceAll("").strip();
        if (cleaned.length() > maxLength) {
            int end = maxLength;
            if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
                end--; // never split a surrogate pair
            }
            cleaned = cleaned.substring(0, end);
        }
        return cleaned.isEmpty() ? null : cleaned;
    }
}
