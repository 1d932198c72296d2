package io.latchkey.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.mail.AccountMailMessage;
import io.latchkey.mail.AccountMailer;
import io.latchkey.runtime.Issuer;

/**
 * Temporary account locks after too many failed sign-ins. The account owns the lock ({@code users.locked_until});
 * {@link PasswordAttempts} decides when to lock, by the rate limits' counts. While locked, every sign-in is refused
 * exactly like a wrong password, except from a trusted device ({@link TrustedDevices}), and a successful password
 * reset ends the lock.
 */
@Service
public class AccountLocks {

    private static final Logger log = LoggerFactory.getLogger(AccountLocks.class);

    private final UserRepository users;
    private final AuditLog audit;
    private final AccountMailer mailer;
    private final ExecutorService background;
    private final Clock clock;
    private final String issuer;

    AccountLocks(UserRepository users, AuditLog audit, AccountMailer mailer,
            @Qualifier("accountBackgroundWork") ExecutorService background, Clock clock,
            Issuer issuer) {
        this.users = users;
        this.audit = audit;
        this.mailer = mailer;
        this.background = background;
        this.clock = clock;
        this.issuer = issuer.url();
    }

    /**
     * Locks the account with this email (if there is one) for {@code duration}. When this call locked it, the
     * lock is audited ({@code ACCOUNT_LOCKED}) and the owner gets a mail with a link to reset the password, and
     * the end of the lock is returned. An unknown address, or an account that is locked already, changes nothing
     * and returns empty.
     */
    public Optional<Instant> lockAfterFailedSignIns(String email, Duration duration) {
        if (!AccountUserDetailsService.couldBeAnEmail(email)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant until = now.plus(duration);
        if (!users.lockUntil(email, now, until)) {
            return Optional.empty();
        }
        Optional<UserAccount> account = users.findByEmail(email).map(UserRepository.StoredUser::account);
        account.ifPresent(locked -> {
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.ACCOUNT_LOCKED).user(locked.id())
                    .detail("reason", "failed_sign_ins").detail("until", until.toString()));
            background.execute(() -> {
                try {
                    mailer.send(AccountMailMessage.accountLocked(locked.email(), Locale.ENGLISH, until,
                            issuer + "/forgot-password"));
                }
                catch (RuntimeException ex) {
                    log.error("Could not send the account-locked mail: {}", ex.getMessage());
                }
            });
        });
        return Optional.of(until);
    }

    /** Whether the account with this email is locked right now (permanently or after failed sign-ins). */
    public boolean isLocked(String email) {
        if (!AccountUserDetailsService.couldBeAnEmail(email)) {
            return false;
        }
        return users.findByEmail(email)
                .map(user -> user.account().locked() || user.temporarilyLocked(clock.instant()))
                .orElse(false);
    }
}
