package io.latchkey.account;

import java.util.function.BooleanSupplier;

import org.springframework.stereotype.Component;

import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.CredentialGuard.MailKind;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.Verdict;

/**
 * The limits on account mail, for the hosted pages and the API alike: each request for a registration, a new
 * verification link or a password reset link counts against its own buckets, one per client IP and one per
 * address ({@link CredentialGuard}'s {@code mail-requests-per-ip} and {@code mail-requests-per-address}).
 * Over a limit the request is answered 429 ({@link RateLimitExceededException}), except a password reset over the
 * limit per address: see {@link #countPasswordReset}.
 */
@Component
class AccountMailLimits {

    private final CredentialGuard guard;

    AccountMailLimits(CredentialGuard guard) {
        this.guard = guard;
    }

    /** Counts a registration from the client IP and for the address; over either limit: 429. */
    void countRegistration(String clientIp, String address) {
        requireWithinBoth(MailKind.REGISTRATION, clientIp, address);
    }

    /** Counts a request for a new verification link from the client IP and for the address; over either limit: 429. */
    void countVerification(String clientIp, String address) {
        requireWithinBoth(MailKind.VERIFICATION, clientIp, address);
    }

    /**
     * Counts a password reset request. Over the limit per client IP: 429. Over the limit per address, the request
     * gets the same answer and mails a link only when the account has no usable one: the newest link, which went to
     * the owner's mailbox, keeps working, so asking over and over can neither bomb the mailbox nor keep its owner
     * from resetting the password.
     */
    PasswordResetRequest countPasswordReset(String clientIp, String address) {
        Verdict fromIp = guard.checkMailFromIp(MailKind.PASSWORD_RESET, clientIp);
        if (!fromIp.allowed()) {
            throw new RateLimitExceededException(fromIp);
        }
        return new PasswordResetRequest(guard.checkMailForAddress(MailKind.PASSWORD_RESET, address).allowed());
    }

    private void requireWithinBoth(MailKind kind, String clientIp, String address) {
        Verdict verdict = guard.checkMailFromIp(kind, clientIp);
        if (verdict.allowed()) {
            verdict = guard.checkMailForAddress(kind, address);
        }
        if (!verdict.allowed()) {
            throw new RateLimitExceededException(verdict);
        }
    }

    /** A counted password reset request, within the limit per client IP. */
    record PasswordResetRequest(boolean withinAddressLimit) {

        /** Whether a link may be mailed; {@code hasUsableLink} is asked only over the limit per address. */
        boolean mayMail(BooleanSupplier hasUsableLink) {
            return withinAddressLimit || !hasUsableLink.getAsBoolean();
        }
    }
}
