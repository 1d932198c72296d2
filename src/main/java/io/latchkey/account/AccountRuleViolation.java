package io.latchkey.account;

/** A request that breaks an account rule, named by the form field it concerns and a message key. */
public class AccountRuleViolation extends RuntimeException {

    private final String field;
    private final String messageKey;

    AccountRuleViolation(String field, String messageKey) {
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
