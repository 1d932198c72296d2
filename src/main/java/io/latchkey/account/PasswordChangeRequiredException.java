package io.latchkey.account;

import org.springframework.security.authentication.AccountStatusException;

/**
 * The password was right, but it must be replaced before it is used for anything else ({@link PasswordChangeRequired}):
 * the token endpoints answer {@code invalid_grant} with {@link #DESCRIPTION}.
 */
public class PasswordChangeRequiredException extends AccountStatusException {

    public static final String DESCRIPTION = "password change required: sign in on the hosted pages and choose a new "
            + "password";

    PasswordChangeRequiredException() {
        super(DESCRIPTION);
    }
}
