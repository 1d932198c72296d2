package io.latchkey.account;

/**
 * A request that breaks a rule, named by the field it concerns and a message key of {@code messages.properties}:
 * the hosted pages show it next to the form field, the API answers it as a 400 with one field error.
 */
public class AccountRuleViolation extends RuntimeException {

    private final String field;
    private final String messageKey;

    public AccountRuleViolation(String field, String messageKey) {
        super(field + ": " + messageKey);
        this.field = field;
        this.messageKey = messageKey;
    }

    public String field() {
        return field;
    }

    public String messageKey() {
        return messageKey;
    }
}
