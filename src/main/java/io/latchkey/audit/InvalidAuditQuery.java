package io.latchkey.audit;

/**
 * A filter of the audit trail that cannot be run: an unknown type, a date that is not one, a page too large. Says
 * which field and why, as a message key (for the console, in the admin's language) and in English (for logs).
 */
public class InvalidAuditQuery extends IllegalArgumentException {

    private final String field;
    private final String messageKey;

    InvalidAuditQuery(String field, String messageKey, String message) {
        super(message);
        this.field = field;
        this.messageKey = messageKey;
    }

    /** The parameter that is wrong: user, client, type, from, to, page, size or format. */
    public String field() {
        return field;
    }

    /** The key of the message in {@code messages.properties} that says what is wrong. */
    public String messageKey() {
        return messageKey;
    }
}
