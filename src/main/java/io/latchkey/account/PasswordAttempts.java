package io.latchkey.account;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitProperties;
import io.latchkey.ratelimit.Verdict;

/**
 * The brute-force rules around every check of a user's password: each sign-in (hosted form, password grant, API)
 * and each current-password check (account page, API). Every attempt counts against the client IP's limit. What a
 * wrong password counts against, and whether the account's lock applies, depends on the client (OWASP's device
 * cookies):
 * <ul>
 * <li>a <b>trusted device</b>, a browser presenting a valid device cookie for this account ({@link TrustedDevices})
 * whose own failure budget is not used up, is not slowed down or locked out by failures from elsewhere; its wrong
 * passwords count against that device only;</li>
 * <li><b>any other client</b> (other browsers, API and password-grant clients) is slowed down after a few failures
 * of the account, its wrong passwords count against the account, and at {@code account-failures} the account is
 * locked for such clients ({@link AccountLocks}).</li>
 * </ul>
 */
@Component
class PasswordAttempts {

    private static final Logger log = LoggerFactory.getLogger(PasswordAttempts.class);

    private final CredentialGuard guard;
    private final TrustedDevices devices;
    private final AccountLocks locks;
    private final RateLimitProperties properties;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;

    PasswordAttempts(CredentialGuard guard, TrustedDevices devices, AccountLocks locks, RateLimitProperties properties,
            PasswordEncoder passwordEncoder, Clock clock) {
        this.guard = guard;
        this.devices = devices;
        this.locks = locks;
        this.properties = properties;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    /**
     * Call before checking the password of {@code account} (the email as typed, possibly garbage). Throws
     * {@link RateLimitExceededException} when the client IP is over its limit; may wait a little first when the
     * account has failed lately.
     */
    Attempt begin(String account, AttemptOrigin origin) {
        String device = devices.deviceOf(origin.deviceCookie(), account).filter(guard::isDeviceTrusted).orElse(null);
        Verdict verdict = guard.checkAttempt(origin.clientIp(), device == null ? account : null);
        if (!verdict.allowed()) {
            throw new RateLimitExceededException(verdict);
        }
        return new Attempt(account, origin.clientIp(), device);
    }

    /**
     * Checks the current password of a signed-in user (before a password or email change) under the same rules as
     * a sign-in: counted, limited, and while the account is locked refused like a wrong one unless it comes from a
     * trusted device.
     */
    boolean currentPasswordMatches(UserRepository.StoredUser user, String presented, AttemptOrigin origin) {
        Attempt attempt = begin(user.account().email(), origin);
        if (presented == null || user.passwordHash() == null
                || !passwordEncoder.matches(presented, user.passwordHash())) {
            attempt.failed();
            return false;
        }
        if (attempt.honoursLock() && user.temporarilyLocked(clock.instant())) {
            return false;
        }
        attempt.succeeded();
        return true;
    }

    /** One password attempt that {@link #begin} let through; report its outcome once. */
    final class Attempt {

        private final String account;
        private final String clientIp;
        private final String device;

        private Attempt(String account, String clientIp, String device) {
            this.account = account;
            this.clientIp = clientIp;
            this.device = device;
        }

        /** Whether the account's lock after failed sign-ins applies: to every client but a trusted device. */
        boolean honoursLock() {
            return device == null;
        }

        /** The password was wrong (only then: other refusals count for nothing). */
        void failed() {
            if (device != null) {
                guard.recordDeviceFailure(device);
            }
            else if (guard.recordFailure(clientIp, account)) {
                locks.lockAfterFailedSignIns(account, properties.lockDuration()).ifPresent(until ->
                        log.warn("Account locked until {} after {} failed sign-ins (the last from {})", until,
                                properties.accountFailures(), clientIp));
            }
        }

        /** The password was right and the sign-in or check went through. */
        void succeeded() {
            if (device != null) {
                guard.recordDeviceSuccess(device);
            }
            else {
                guard.recordSuccess(clientIp, account);
            }
        }
    }
}
