package io.latchkey.account;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.audit.AuditEventType;
import io.latchkey.mail.AccountMailMessage;
import io.latchkey.mail.AccountMailer;
import io.latchkey.runtime.Issuer;
import io.latchkey.session.UserSessions;

/**
 * The rules of self-service accounts, shared by the hosted pages and the JSON API: registration, email
 * verification, password reset and change, email change and its undo, profile.
 */
@Service
public class AccountService {

    private static final Logger log = LoggerFactory.getLogger(AccountService.class);

    private final UserRepository users;
    private final AccountLinks links;
    private final PasswordPolicy policy;
    private final PasswordEncoder passwordEncoder;
    private final AccountMailer mailer;
    private final AccountAudit audit;
    private final ConnectedApplications applications;
    private final UserSessions sessions;
    private final AccountProperties properties;
    private final TransactionTemplate transactions;
    private final ExecutorService background;
    private final PasswordAttempts attempts;
    private final AccountMailLimits mailLimits;
    private final String issuer;

    AccountService(UserRepository users, AccountLinks links, PasswordPolicy policy, PasswordEncoder passwordEncoder,
            AccountMailer mailer, AccountAudit audit, ConnectedApplications applications, UserSessions sessions,
            AccountProperties properties, TransactionTemplate transactions,
            @Qualifier("accountBackgroundWork") ExecutorService background, PasswordAttempts attempts,
            AccountMailLimits mailLimits, Issuer issuer) {
        this.users = users;
        this.links = links;
        this.policy = policy;
        this.passwordEncoder = passwordEncoder;
        this.mailer = mailer;
        this.audit = audit;
        this.applications = applications;
        this.sessions = sessions;
        this.properties = properties;
        this.transactions = transactions;
        this.background = background;
        this.attempts = attempts;
        this.mailLimits = mailLimits;
        this.issuer = issuer.url();
    }

    public Optional<UserAccount> find(UUID id) {
        return users.findById(id).map(UserRepository.StoredUser::account);
    }

    /**
     * Creates an unverified account and mails the verification link. An email that already has an account
     * gets the same answer and nothing changes, so the form cannot be used to find out who has an account.
     * Registrations are limited per client IP and per address ({@link AccountMailLimits}).
     */
    public void register(String email, String password, String name, Locale locale, String clientIp) {
        policy.violation(password, email).ifPresent(violation -> {
            throw new AccountRuleViolation("password", violation);
        });
        mailLimits.countRegistration(clientIp, email);
        String hash = passwordEncoder.encode(password);
        if (users.findByEmail(email).isPresent() || links.isReservedForUndo(email)) {
            // hashed anyway, and mail goes out in the background either way: the answer takes as long
            log.info("Registration for an email that has an account or is kept for one; answered like a new one");
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

    /**
     * Completes an email change. Links that went to the old address, and a second pending change, stop
     * working; the old address gets a notice with a link that undoes the change.
     */
    private Optional<UserAccount> completeEmailChange(String token) {
        Optional<CompletedEmailChange> completed = transactions.execute(status -> {
            Optional<AccountLinks.Link> link = links.consume(token, AccountLinks.Purpose.CHANGE_EMAIL);
            Optional<UserAccount> before = link.flatMap(found -> find(found.userId()));
            if (before.isEmpty() || !users.changeEmail(before.get().id(), link.get().newEmail())) {
                return Optional.empty();
            }
            UUID userId = before.get().id();
            links.invalidate(userId, AccountLinks.PENDING_ACCOUNT_CHANGES);
            String undoToken = links.create(userId, AccountLinks.Purpose.UNDO_EMAIL_CHANGE,
                    properties.emailChangeUndoLinkTtl(), before.get().email());
            return Optional.of(new CompletedEmailChange(userId, before.get().email(), link.get().newEmail(), undoToken));
        });
        if (completed.isEmpty()) {
            return Optional.empty();
        }
        CompletedEmailChange change = completed.get();
        audit.record(AuditEventType.EMAIL_CHANGED, change.userId(), change.newEmail());
        send(AccountMailMessage.emailChangedNotice(change.oldEmail(), Locale.ENGLISH, change.newEmail(),
                link("/undo-email-change", change.undoToken()), properties.emailChangeUndoLinkTtl()));
        return find(change.userId());
    }

    /** The address an undo link would put back, while the link can be used; does not use it. */
    Optional<String> emailRestoredBy(String undoToken) {
        return links.peek(undoToken, AccountLinks.Purpose.UNDO_EMAIL_CHANGE).map(AccountLinks.Link::newEmail);
    }

    /**
     * Undoes an email change from the link mailed to the old address, for an owner whose account was taken
     * over: the old address comes back, the password stops working (whoever changed the address may know
     * it), every session ends, every token is revoked, and every pending link stops working except the undo
     * links of earlier changes. Returns the restored address and a fresh password reset token, so the owner
     * can choose a new password at once; empty when the link cannot be used.
     */
    Optional<UndoneEmailChange> undoEmailChange(String undoToken) {
        Optional<UndoneEmailChange> undone = transactions.execute(status -> {
            Optional<AccountLinks.Link> link = links.consume(undoToken, AccountLinks.Purpose.UNDO_EMAIL_CHANGE);
            if (link.isEmpty()) {
                return Optional.empty();
            }
            UUID userId = link.get().userId();
            if (!users.changeEmail(userId, link.get().newEmail())) {
                // another account holds the address after all: nothing changes, and the owner's link stays usable
                status.setRollbackOnly();
                return Optional.empty();
            }
            users.clearPassword(userId);
            links.invalidate(userId, AccountLinks.PENDING_ACCOUNT_CHANGES);
            links.invalidateUndoLinksCreatedAfter(userId, link.get().createdAt());
            String resetToken = links.create(userId, AccountLinks.Purpose.RESET_PASSWORD, properties.resetLinkTtl(),
                    null);
            return Optional.of(new UndoneEmailChange(userId, link.get().newEmail(), resetToken));
        });
        undone.ifPresent(change -> {
            signOutEverywhere(change.userId());
            audit.record(AuditEventType.EMAIL_CHANGE_UNDONE, change.userId(), change.restoredEmail());
        });
        return undone;
    }

    /**
     * Sends a new verification link if the address has an unverified account; answers the same either way.
     * Limited per client IP and per address ({@link AccountMailLimits}).
     */
    public void resendVerification(String email, Locale locale, String clientIp) {
        mailLimits.countVerification(clientIp, email);
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
     * is the same, in content and in time, whether or not the account exists. Requests are limited per client IP
     * and per address ({@link AccountMailLimits#countPasswordReset}).
     */
    public void requestPasswordReset(String email, Locale locale, String clientIp) {
        AccountMailLimits.PasswordResetRequest request = mailLimits.countPasswordReset(clientIp, email);
        background.execute(() -> users.findByEmail(email).map(UserRepository.StoredUser::account).ifPresent(account -> {
            if (request.mayMail(() -> links.hasUsable(account.id(), AccountLinks.Purpose.RESET_PASSWORD))) {
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

    /** The account a reset link is for, while the link can still be used (without using it). */
    public Optional<UserAccount> resetLinkAccount(String token) {
        return links.peek(token, AccountLinks.Purpose.RESET_PASSWORD).flatMap(link -> find(link.userId()));
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
            // a pending email change may be a hijacker's, made with the password just replaced
            links.invalidate(account.id(), AccountLinks.PENDING_ACCOUNT_CHANGES);
            return true;
        }));
        if (!used) {
            throw new AccountRuleViolation("token", "link.invalid");
        }
        signOutEverywhere(account.id());
        audit.record(AuditEventType.PASSWORD_RESET_COMPLETED, account.id(), null);
    }

    /**
     * Changes the password of a signed-in user who knows the current one, ends every browser session of the user
     * on every instance except {@code keptSessionId} (the hosted page's own session; null through the API), and
     * revokes every token issued for the user except those of the sign-in {@code currentAccessToken} belongs to
     * (the one the change was made with, through the API; null from the hosted pages). Whoever holds a session or
     * tokens from a password that is no longer secret loses them; the sign-in that just proved the current password
     * keeps working. The current password is checked like a sign-in ({@link PasswordAttempts}): limited, counted
     * toward the lock, refused while the account is locked.
     */
    public void changePassword(UUID userId, String currentPassword, String newPassword, AttemptOrigin origin,
            String currentAccessToken, String keptSessionId) {
        UserRepository.StoredUser user = requireCurrentPassword(userId, currentPassword, origin);
        policy.violation(newPassword, user.account().email()).ifPresent(violation -> {
            throw new AccountRuleViolation("newPassword", violation);
        });
        // a pending email change may have been asked for by whoever knew the old password
        links.invalidate(userId, Set.of(AccountLinks.Purpose.CHANGE_EMAIL));
        users.changePassword(userId, passwordEncoder.encode(newPassword));
        sessions.endAllExcept(userId.toString(), keptSessionId);
        applications.revokeAllTokensExcept(userId.toString(), currentAccessToken);
        audit.record(AuditEventType.PASSWORD_CHANGED, userId, null);
        // someone who learnt the old password and changed it is noticed at once by the owner, in the language of
        // the request (the page or API call that made the change)
        send(AccountMailMessage.passwordChanged(user.account().email(), LocaleContextHolder.getLocale(), Instant.now(),
                issuer + "/forgot-password"));
    }

    /**
     * Mails a confirmation link to the new address; the change happens when it is used. The current password is
     * checked like a sign-in, as for {@link #changePassword}.
     */
    public void requestEmailChange(UUID userId, String currentPassword, String newEmail, Locale locale,
            AttemptOrigin origin) {
        UserRepository.StoredUser user = requireCurrentPassword(userId, currentPassword, origin);
        if (UserRepository.normalize(newEmail).equals(UserRepository.normalize(user.account().email()))) {
            throw new AccountRuleViolation("newEmail", "email.same");
        }
        if (users.findByEmail(newEmail).isPresent() || links.isReservedForUndo(newEmail)) {
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

    /**
     * Ends every browser session of the user on every instance (the rows are deleted; each end is announced as
     * {@link io.latchkey.session.SessionEnded}) and revokes every token issued for them.
     */
    void signOutEverywhere(UUID userId) {
        sessions.endAll(userId.toString());
        applications.revokeAllTokens(userId.toString());
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

    /**
     * Checks the current password alone, like a sign-in, for a form that has other errors and so changes nothing:
     * its answer still names every wrong field at once. Throws {@link AccountRuleViolation} when it is wrong.
     */
    public void checkCurrentPassword(UUID userId, String currentPassword, AttemptOrigin origin) {
        requireCurrentPassword(userId, currentPassword, origin);
    }

    /** The user, when {@code currentPassword} is theirs, checked like a sign-in ({@link PasswordAttempts}). */
    private UserRepository.StoredUser requireCurrentPassword(UUID userId, String currentPassword, AttemptOrigin origin) {
        UserRepository.StoredUser user = users.findById(userId)
                .orElseThrow(() -> new AccountRuleViolation("currentPassword", "password.wrong"));
        if (!attempts.currentPasswordMatches(user, currentPassword, origin)) {
            throw new AccountRuleViolation("currentPassword", "password.wrong");
        }
        return user;
    }

    private String link(String path, String token) {
        return issuer + path + "?token=" + token;
    }

    private record CompletedEmailChange(UUID userId, String oldEmail, String newEmail, String undoToken) {
    }

    record UndoneEmailChange(UUID userId, String restoredEmail, String resetToken) {
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
