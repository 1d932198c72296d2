package io.latchkey.account;

import org.springframework.security.authentication.AccountStatusException;

/** The password was right, but the account's email address is not verified yet. */
public class EmailNotVerifiedException extends AccountStatusException {

    EmailNotVerifiedException() {
        super("Email address not verified");
    }
}
