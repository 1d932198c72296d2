package io.latchkey.api;

/** Invalid input found by a controller: answered 400 with one field error. */
class ApiFieldError extends RuntimeException {

    private final String field;
    private final String messageKey;

    ApiFieldError(String field, String messageKey) {
        super(field + ": " + messageKey);
        this.field = field;
        this.messageKey = messageKey;
    }

    String field() {
        return field;
    }

    String messageKey() {
        return messageKey;
    }
}
