package io.latchkey.account;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;

/**
 * The brute-force rules of {@link PasswordAttempts} for a second-factor code (TOTP or recovery code): each attempt
 * counts against the client IP's limit, a wrong code counts against the account (or the trusted device) exactly like
 * a wrong password and toward the account's lock, and a locked account refuses codes unless they come from a
 * trusted device.
 */
@Component
public class CodeAttempts {

    private final PasswordAttempts attempts;
    private final UserRepository users;
    private final TrustedDevices devices;
    private final CredentialGuard guard;
    private final Clock clock;

    CodeAttempts(PasswordAttempts attempts, UserRepository users, TrustedDevices devices, CredentialGuard guard,
            Clock clock) {
        this.attempts = attempts;
        this.users = users;
        this.devices = devices;
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * Call before checking a code of this user. Throws {@link RateLimitExceededException} when the client IP or the
     * account is over its limit (nothing is checked then).
     */
    public Attempt begin(UUID userId, AttemptOrigin origin) {
        Optional<UserRepository.StoredUser> user = users.findById(userId);
        String account = user.map(stored -> stored.account().email()).orElse(userId.toString());
        PasswordAttempts.Attempt attempt = attempts.begin(account, origin);
        boolean locked = user.map(stored -> refuses(stored, attempt.honoursLock())).orElse(true);
        return new Attempt(attempt, locked);
    }

    /**
     * Whether this user's codes are refused from this origin right now (the account is disabled, locked for good,
     * or locked after failed attempts and the origin is not a trusted device). Counts nothing.
     */
    public boolean refusesCodes(UUID userId, AttemptOrigin origin) {
        return users.findById(userId).map(user -> refuses(user, !trustedDevice(user, origin))).orElse(true);
    }

    private boolean trustedDevice(UserRepository.StoredUser user, AttemptOrigin origin) {
        return devices.deviceOf(origin.deviceCookie(), user.account().email()).filter(guard::isDeviceTrusted)
                .isPresent();
    }

    private boolean refuses(UserRepository.StoredUser user, boolean honoursLock) {
        return !user.account().enabled() || user.account().locked()
                || (honoursLock && user.temporarilyLocked(clock.instant()));
    }

    /** One code attempt that {@link #begin} let through: refuse it when {@link #locked}, else report its outcome. */
    public static final class Attempt {

        private final PasswordAttempts.Attempt attempt;
        private final boolean locked;

        private Attempt(PasswordAttempts.Attempt attempt, boolean locked) {
            this.attempt = attempt;
            this.locked = locked;
        }

        /** The account refuses codes from this client now: refuse without checking (and without counting). */
        public boolean locked() {
            return locked;
        }

        /** The code was wrong, malformed, replayed or spent. */
        public void failed() {
            attempt.failed();
        }

        /** The code was right. */
        public void succeeded() {
            attempt.succeeded();
        }
    }
}
