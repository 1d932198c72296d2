package io.latchkey.audit;

import java.util.List;

/** One page of matching events, newest first; {@code hasNext} when a further page has at least one. */
public record AuditPage(List<RecordedAuditEvent> events, int page, int size, boolean hasNext) {

    /** The most events on one page. */
    public static final int MAX_SIZE = 200;
    public static final int DEFAULT_SIZE = 50;
    /** The deepest page; narrow the filter (or export) to see further back. */
    public static final int MAX_PAGE = 10_000;

    public AuditPage {
        events = List.copyOf(events);
    }

    /**
     * Checks a page number and size as typed (blank for the first page and the default size).
     *
     * @throws InvalidAuditQuery when either is not a number in range
     */
    public static Paging parsePaging(String page, String size) {
        return new Paging(number("page", page, 0, 0, MAX_PAGE), number("size", size, DEFAULT_SIZE, 1, MAX_SIZE));
    }

    /** Which page (from 0) of how many events. */
    public record Paging(int page, int size) {
    }

    private static int number(String field, String value, int blank, int min, int max) {
        if (value == null || value.isBlank()) {
            return blank;
        }
        try {
            String text = value.strip();
            if (text.length() > 9) {
                throw new NumberFormatException();
            }
            int number = Integer.parseInt(text);
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        }
        catch (NumberFormatException ex) {
            throw new InvalidAuditQuery(field, "admin.audit.error." + field,
                    "'" + field + "' must be a whole number from " + min + " to " + max);
        }
    }
}
