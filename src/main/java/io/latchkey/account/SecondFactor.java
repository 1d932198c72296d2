package io.latchkey.account;

import java.util.UUID;

/**
 * A user's second factor after the password: a TOTP authenticator app, with single-use recovery codes. Implemented
 * by {@code io.latchkey.mfa}; every entrance that takes a password asks it (the hosted sign-in, the password grant,
 * the API's login and the authorization challenge endpoint), so no flow gets past the password alone.
 */
public interface SecondFactor {

    /** Whether the user has a confirmed second factor, so that a password alone never signs them in. */
    boolean isEnrolled(UUID userId);

    /** Whether the user must enrol before going on ({@code latchkey.mfa.required-for-roles}) and has not. */
    boolean mustEnrol(UUID userId);

    /**
     * Checks a code the user typed: a current TOTP code (refused when already used in its window) or an unused
     * recovery code (spent by this call). Counted like a password attempt: limited per client IP and account, and
     * wrong codes count toward the account's lock.
     */
    CodeCheck check(UUID userId, String code, AttemptOrigin origin);

    /**
     * An administrator's removal of the user's second factor and recovery codes, without a code (the owner lost the
     * authenticator, or it is compromised); the owner is mailed. False when the user had no confirmed second factor.
     */
    boolean removeForAdministrator(UUID userId);

    enum CodeCheck {
        /** A current TOTP code, now used up: the sign-in gains {@link SignInFactors#TOTP}. */
        TOTP_ACCEPTED,
        /** A recovery code, now spent: the sign-in gains {@link SignInFactors#RECOVERY_CODE}. */
        RECOVERY_CODE_ACCEPTED,
        /** Wrong, malformed, replayed or spent; or the user has no second factor. */
        REFUSED;

        public boolean accepted() {
            return this != REFUSED;
        }

        /** The factor authority a sign-in gains from this code; null when refused. */
        public String factor() {
            return switch (this) {
                case TOTP_ACCEPTED -> SignInFactors.TOTP;
                case RECOVERY_CODE_ACCEPTED -> SignInFactors.RECOVERY_CODE;
                case REFUSED -> null;
            };
        }
    }
}
