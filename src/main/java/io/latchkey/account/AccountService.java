package io.latchkey.account;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.audit.AuditEventType;
import io.latchkey.mail.AccountMailMessage;
import io.latchkey.mail.AccountMailer;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.CredentialGuard.MailKind;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.Verdict;
import io.latchkey.tokens.UserGrants;

/**
 * The rules of self-service accounts, shared by the hosted pages and (later) the JSON API: registration,
 * email verification, password reset and change, email change, profile.
 */
@Service
public class AccountService {

    private static final Logger log = LoggerFactory.getLogger(AccountService.class);
    static final int MAX_NAME_LENGTH = 200;

    private final UserRepository users;
    private final AccountLinks links;
    private final PasswordPolicy policy;
    private final PasswordEncoder passwordEncoder;
    private final AccountMailer mailer;
    private final AccountAudit audit;
    private final UserGrants grants;
    private final SessionRegistry sessions;
    private final AccountProperties properties;
    private final TransactionTemplate transactions;
    private final ExecutorService background;
    private final PasswordAttempts attempts;
    private final CredentialGuard guard;
    private final String issuer;

    AccountService(UserRepository users, AccountLinks links, PasswordPolicy policy, PasswordEncoder passwordEncoder,
            AccountMailer mailer, AccountAudit audit, UserGrants grants, SessionRegistry sessions,
            AccountProperties properties, TransactionTemplate transactions,
            @Qualifier("accountBackgroundWork") ExecutorService background, PasswordAttempts attempts,
            CredentialGuard guard, @Value("${latchkey.issuer}") String issuer) {
        this.users = users;
        this.links = links;
        this.policy = policy;
        this.passwordEncoder = passwordEncoder;
        this.mailer = mailer;
        this.audit = audit;
        this.grants = grants;
        this.sessions = sessions;
        this.properties = properties;
        this.transactions = transactions;
        this.background = background;
        this.attempts = attempts;
        this.guard = guard;
        this.issuer = issuer;
    }

    public Optional<UserAccount> find(UUID id) {
        return users.findById(id).map(UserRepository.StoredUser::account);
    }

    /**
     * Creates an unverified account and mails the verification link. An email that already has an account
     * gets the same answer and nothing changes, so the form cannot be used to find out who has an account.
     * Registrations are limited per client IP and per address ({@link RateLimitExceededException}).
     */
    public void register(String email, String password, String name, Locale locale, String clientIp) {
        policy.violation(password, email).ifPresent(violation -> {
            throw new AccountRuleViolation("password", violation);
        });
        requireMailAllowed(MailKind.REGISTRATION, clientIp, email);
        String hash = passwordEncoder.encode(password);
        if (users.findByEmail(email).isPresent()) {
            // hashed anyway, and mail goes out in the background either way: the answer takes as long
            log.info("Registration for an email that already has an account; answered like a new one");
            return;
        }
        UUID id = UUID.randomUUID();
        String token = transactions.execute(status -> {
            users.insert(id, email, false, blankToNull(name), hash);
            users.grantRole(id, "user");
            return links.create(id, AccountLinks.Purpose.VERIFY_EMAIL, properties.verificationLinkTtl(), null);
        });
        audit.record(AuditEventType.USER_REGISTERED, id, email);
        send(AccountMailMessage.verifyEmail(email.trim(), locale, blankToNull(name), link("/verify-email", token),
                properties.verificationLinkTtl().toMinutes()));
    }

    /** Whether a verification (or email change) link can still be used, without using it. */
    public boolean isUsableVerificationLink(String token) {
        return links.peek(token, AccountLinks.Purpose.VERIFY_EMAIL).isPresent()
                || links.peek(token, AccountLinks.Purpose.CHANGE_EMAIL).isPresent();
    }

    /** Uses a verification link: verifies the address, or completes an email change. */
    public Optional<UserAccount> verifyEmail(String token) {
        Optional<AccountLinks.Link> verification = transactions.execute(status -> {
            Optional<AccountLinks.Link> link = links.consume(token, AccountLinks.Purpose.VERIFY_EMAIL);
            link.ifPresent(found -> users.markEmailVerified(found.userId()));
            return link;
        });
        if (verification.isPresent()) {
            audit.record(AuditEventType.EMAIL_VERIFIED, verification.get().userId(), null);
            return find(verification.get().userId());
        }
        return completeEmailChange(token);
    }

    private Optional<UserAccount> completeEmailChange(String token) {
        Optional<AccountLinks.Link> change = links.peek(token, AccountLinks.Purpose.CHANGE_EMAIL);
        if (change.isEmpty()) {
            return Optional.empty();
        }
        UserAccount before = find(change.get().userId()).orElse(null);
        Boolean changed = transactions.execute(status -> links.consume(token, AccountLinks.Purpose.CHANGE_EMAIL)
                .map(link -> users.changeEmail(link.userId(), link.newEmail()))
                .orElse(false));
        if (before == null || !Boolean.TRUE.equals(changed)) {
            return Optional.empty();
        }
        audit.record(AuditEventType.EMAIL_CHANGED, before.id(), change.get().newEmail());
        send(AccountMailMessage.emailChangedNotice(before.email(), Locale.ENGLISH, change.get().newEmail(),
                issuer + "/forgot-password"));
        return find(before.id());
    }

    /**
     * Sends a new verification link if the address has an unverified account; answers the same either way.
     * Limited per client IP and per address ({@link RateLimitExceededException}).
     */
    public void resendVerification(String email, Locale locale, String clientIp) {
        requireMailAllowed(MailKind.VERIFICATION, clientIp, email);
        background.execute(() -> users.findByEmail(email)
                .map(UserRepository.StoredUser::account)
                .filter(account -> !account.emailVerified())
                .ifPresent(account -> {
                    String token = links.create(account.id(), AccountLinks.Purpose.VERIFY_EMAIL,
                            properties.verificationLinkTtl(), null);
                    send(AccountMailMessage.verifyEmail(account.email(), locale, account.name(),
                            link("/verify-email", token), properties.verificationLinkTtl().toMinutes()));
                }));
    }

    /**
     * Mails a reset link if the address has an account. The work happens after the answer, so the answer
     * is the same, in content and in time, whether or not the account exists.
     *
     * <p>Requests are limited per client IP ({@link RateLimitExceededException}). Per address, a request over the
     * limit gets the same answer and mails a link only when the account has no usable one: the newest link,
     * which went to the owner's mailbox, keeps working, so asking over and over can neither bomb the mailbox nor
     * keep its owner from resetting the password.
     */
    public void requestPasswordReset(String email, Locale locale, String clientIp) {
        Verdict fromIp = guard.checkMailFromIp(MailKind.PASSWORD_RESET, clientIp);
        if (!fromIp.allowed()) {
            throw new RateLimitExceededException(fromIp);
        }
        boolean withinAddressLimit = guard.checkMailForAddress(MailKind.PASSWORD_RESET, email).allowed();
        background.execute(() -> users.findByEmail(email).map(UserRepository.StoredUser::account).ifPresent(account -> {
            if (withinAddressLimit || !links.hasUsable(account.id(), AccountLinks.Purpose.RESET_PASSWORD)) {
                sendResetLink(account, locale);
            }
        }));
    }

    /** An administrator's forced reset: a new link goes out whatever the limits, if the address has an account. */
    void mailPasswordReset(String email, Locale locale) {
        background.execute(() -> users.findByEmail(email).map(UserRepository.StoredUser::account)
                .ifPresent(account -> sendResetLink(account, locale)));
    }

    private void sendResetLink(UserAccount account, Locale locale) {
        String token = links.create(account.id(), AccountLinks.Purpose.RESET_PASSWORD, properties.resetLinkTtl(), null);
        audit.record(AuditEventType.PASSWORD_RESET_REQUESTED, account.id(), null);
        send(AccountMailMessage.resetPassword(account.email(), locale, link("/reset-password", token),
                properties.resetLinkTtl().toMinutes()));
    }

    public boolean isUsableResetLink(String token) {
        return links.peek(token, AccountLinks.Purpose.RESET_PASSWORD).isPresent();
    }

    /** Sets a new password from a reset link, then signs the user out everywhere and revokes their tokens. */
    public void resetPassword(String token, String newPassword) {
        AccountLinks.Link link = links.peek(token, AccountLinks.Purpose.RESET_PASSWORD)
                .orElseThrow(() -> new AccountRuleViolation("token", "link.invalid"));
        UserAccount account = find(link.userId()).orElseThrow(() -> new AccountRuleViolation("token", "link.invalid"));
        policy.violation(newPassword, account.email()).ifPresent(violation -> {
            throw new AccountRuleViolation("password", violation);
        });
        String hash = passwordEncoder.encode(newPassword);
        boolean used = Boolean.TRUE.equals(transactions.execute(status -> {
            if (links.consume(token, AccountLinks.Purpose.RESET_PASSWORD).isEmpty()) {
                return false;
            }
            users.changePassword(account.id(), hash);
            users.markEmailVerified(account.id());
            users.clearLock(account.id()); // the owner proved control of the address: a lock after failed sign-ins ends
            return true;
        }));
        if (!used) {
            throw new AccountRuleViolation("token", "link.invalid");
        }
        signOutEverywhere(account.id());
        audit.record(AuditEventType.PASSWORD_RESET_COMPLETED, account.id(), null);
    }

    /**
     * Changes the password of a signed-in user who knows the current one. The current password is checked like a
     * sign-in ({@link PasswordAttempts}): limited, counted toward the lock, refused while the account is locked.
     */
    public void changePassword(UUID userId, String currentPassword, String newPassword, AttemptOrigin origin) {
        UserRepository.StoredUser user = users.findById(userId)
                .orElseThrow(() -> new AccountRuleViolation("currentPassword", "password.wrong"));
        if (!attempts.currentPasswordMatches(user, currentPassword, origin)) {
            throw new AccountRuleViolation("currentPassword", "password.wrong");
        }
        policy.violation(newPassword, user.account().email()).ifPresent(violation -> {
            throw new AccountRuleViolation("newPassword", violation);
        });
        users.changePassword(userId, passwordEncoder.encode(newPassword));
        audit.record(AuditEventType.PASSWORD_CHANGED, userId, null);
    }

    /**
     * Mails a confirmation link to the new address; the change happens when it is used. The current password is
     * checked like a sign-in, as for {@link #changePassword}.
     */
    public void requestEmailChange(UUID userId, String currentPassword, String newEmail, Locale locale,
            AttemptOrigin origin) {
        UserRepository.StoredUser user = users.findById(userId)
                .orElseThrow(() -> new AccountRuleViolation("currentPassword", "password.wrong"));
        if (!attempts.currentPasswordMatches(user, currentPassword, origin)) {
            throw new AccountRuleViolation("currentPassword", "password.wrong");
        }
        if (UserRepository.normalize(newEmail).equals(UserRepository.normalize(user.account().email()))) {
            throw new AccountRuleViolation("newEmail", "email.same");
        }
        if (users.findByEmail(newEmail).isPresent()) {
            // same answer as for a free address: the other account's owner is not revealed
            return;
        }
        String token = links.create(userId, AccountLinks.Purpose.CHANGE_EMAIL, properties.verificationLinkTtl(),
                newEmail.trim());
        send(AccountMailMessage.verifyEmail(newEmail.trim(), locale, user.account().name(), link("/verify-email", token),
                properties.verificationLinkTtl().toMinutes()));
    }

    public void updateName(UUID userId, String name) {
        users.updateName(userId, blankToNull(name));
    }

    /** Ends every session of the user on this server and revokes every token issued for them. */
    void signOutEverywhere(UUID userId) {
        User principal = new User(userId.toString(), "", java.util.List.of());
        sessions.getAllSessions(principal, false).forEach(session -> session.expireNow());
        grants.revokeAllTokens(userId.toString());
    }

    /**
     * Mail goes out after the answer, so its delivery time tells nothing about the account. A mail that
     * cannot be sent is logged; the user can ask for it again, and nothing already done is undone.
     */
    private void send(AccountMailMessage message) {
        background.execute(() -> {
            try {
                mailer.send(message);
            }
            catch (RuntimeException ex) {
                log.error("Could not send the {} mail: {}", message.template(), ex.getMessage());
            }
        });
    }

    /** Counts a request for this kind of mail from the client IP and for the address; over either limit: 429. */
    private void requireMailAllowed(MailKind kind, String clientIp, String address) {
        Verdict verdict = guard.checkMailFromIp(kind, clientIp);
        if (verdict.allowed()) {
            verdict = guard.checkMailForAddress(kind, address);
        }
        if (!verdict.allowed()) {
            throw new RateLimitExceededException(verdict);
        }
    }

    private String link(String path, String token) {
        return issuer + path + "?token=" + token;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
