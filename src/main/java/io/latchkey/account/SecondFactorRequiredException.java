package io.latchkey.account;

import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * The password was right, but the account has a second factor ({@link #enrolled()}), or must enrol one before it
 * signs in anywhere ({@code latchkey.mfa.required-for-roles}): no entrance issues a session or tokens on the password
 * alone. The hosted sign-in goes on to the code page; the password grant and the API's login answer that a second
 * step is needed, which the authorization challenge endpoint offers.
 */
public class SecondFactorRequiredException extends AuthenticationException {

    public static final String DESCRIPTION = "a second factor is required: use the authorization challenge endpoint "
            + "or sign in on the hosted pages";

    private final transient Authentication passwordStep;
    private final UUID userId;
    private final boolean enrolled;

    SecondFactorRequiredException(Authentication passwordStep, UUID userId, boolean enrolled) {
        super(DESCRIPTION);
        this.passwordStep = passwordStep;
        this.userId = userId;
        this.enrolled = enrolled;
    }

    /** The authentication the password step produced (with {@link SignInFactors#PASSWORD}); not signed in yet. */
    public Authentication passwordStep() {
        return passwordStep;
    }

    public UUID userId() {
        return userId;
    }

    /** True: the user has a second factor and must enter a code. False: the user must enrol one first. */
    public boolean enrolled() {
        return enrolled;
    }
}
