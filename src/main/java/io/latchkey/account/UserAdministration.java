package io.latchkey.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.session.UserSessions;

/**
 * What an administrator may do to other users' accounts: search them, rename, disable, enable and unlock them,
 * set their roles, delete them, mail them a reset link or make them choose a new password, and see and end their
 * sessions, consents, passkeys and second factor. Every change is audited with the administrator as actor and the
 * user as subject ({@code user:<uuid>}), refusals too. Who may call it is the caller's
 * business (the API checks permissions); the rules about the accounts themselves are here.
 */
@Service
public class UserAdministration {

    /** The largest page a search returns. */
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_QUERY_LENGTH = 320;
    static final int MAX_CLIENT_ID_LENGTH = 200;

    private final UserRepository users;
    private final AccountService accounts;
    private final ConnectedApplications applications;
    private final UserSessions sessions;
    private final Passkeys passkeys;
    private final SecondFactor secondFactor;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    UserAdministration(UserRepository users, AccountService accounts, ConnectedApplications applications,
            UserSessions sessions, Passkeys passkeys, SecondFactor secondFactor, AuditLog audit,
            TransactionTemplate transactions, Clock clock) {
        this.users = users;
        this.accounts = accounts;
        this.applications = applications;
        this.sessions = sessions;
        this.passkeys = passkeys;
        this.secondFactor = secondFactor;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Users whose email or name contains {@code query} (any case; all users when it is blank), ordered by
     * email. The size is capped at {@value #MAX_PAGE_SIZE}.
     */
    public UserPage search(String query, int page, int size) {
        if (page < 0) {
            throw new AccountRuleViolation("page", "field.invalid");
        }
        if (size < 1) {
            throw new AccountRuleViolation("size", "field.invalid");
        }
        if (query != null && (query.length() > MAX_QUERY_LENGTH || !query.matches(AccountFields.NO_CONTROL_CHARACTERS))) {
            throw new AccountRuleViolation("q", "field.invalid");
        }
        String q = query == null ? "" : query.trim();
        int capped = Math.min(size, MAX_PAGE_SIZE);
        long offset = (long) page * capped;
        return new UserPage(users.search(q.toLowerCase(Locale.ROOT), offset, capped), page, capped, users.count(q.toLowerCase(Locale.ROOT)));
    }

    public Optional<UserAccount> find(UUID id) {
        return accounts.find(id);
    }

    /** Changes the name and, when given, whether the account is enabled; empty when there is no such user. */
    public Optional<UserAccount> update(UUID actor, UUID id, Optional<String> name, Optional<Boolean> enabled) {
        if (find(id).isEmpty()) {
            return Optional.empty();
        }
        if (name.isPresent()) {
            String value = name.get();
            if (value != null && value.trim().length() > AccountFields.MAX_NAME_LENGTH) {
                throw new AccountRuleViolation("name", "name.tooLong");
            }
            if (value != null && !value.matches(AccountFields.NO_CONTROL_CHARACTERS)) {
                throw new AccountRuleViolation("name", "name.invalid");
            }
            accounts.updateName(id, value);
        }
        if (enabled.isPresent()) {
            setEnabled(actor, id, enabled.get());
        }
        return find(id);
    }

    /**
     * Enables or disables an account; disabling signs the user out everywhere and revokes their tokens.
     * Nobody disables their own account this way. False when there is no such user.
     */
    public boolean setEnabled(UUID actor, UUID id, boolean enabled) {
        AuditEventType type = enabled ? AuditEventType.ACCOUNT_ENABLED : AuditEventType.ACCOUNT_DISABLED;
        if (!enabled && id.equals(actor)) {
            throw refused(type, actor, id, "enabled", "user.self");
        }
        if (!users.setEnabled(id, enabled)) {
            return false;
        }
        if (!enabled) {
            accounts.signOutEverywhere(id);
        }
        record(type, actor, id);
        return true;
    }

    /**
     * Replaces the user's roles with existing roles. An administrator cannot take the admin role from
     * themselves, so there is always one left. Empty when there is no such user.
     */
    public Optional<UserAccount> setRoles(UUID actor, UUID id, Collection<String> roles) {
        if (roles == null) {
            throw refused(AuditEventType.ROLES_CHANGED, actor, id, "roles", "field.required");
        }
        Set<String> known = users.roleNames();
        Set<String> wanted = new TreeSet<>();
        for (String role : roles) {
            if (role == null || !known.contains(role)) {
                throw refused(AuditEventType.ROLES_CHANGED, actor, id, "roles", "roles.unknown");
            }
            wanted.add(role);
        }
        if (id.equals(actor) && !wanted.contains(AdminBootstrap.ADMIN_ROLE)) {
            throw refused(AuditEventType.ROLES_CHANGED, actor, id, "roles", "user.self");
        }
        Boolean found = transactions.execute(status -> {
            if (users.findById(id).isEmpty()) {
                return false;
            }
            users.replaceRoles(id, wanted);
            return true;
        });
        if (!Boolean.TRUE.equals(found)) {
            return Optional.empty();
        }
        UUID target = id;
        audit.recordBestEffort(() -> event(AuditEventType.ROLES_CHANGED, actor, target, AuditEvent.SUCCEEDED)
                .detail("roles", String.join(",", wanted)));
        return find(id);
    }

    /** Deletes the account, its sessions, tokens and consents. Nobody deletes their own account this way. */
    public boolean delete(UUID actor, UUID id) {
        if (id.equals(actor)) {
            throw refused(AuditEventType.ACCOUNT_DELETED, actor, id, "id", "user.self");
        }
        if (find(id).isEmpty()) {
            return false;
        }
        accounts.signOutEverywhere(id);
        applications.withdrawAll(id.toString());
        boolean deleted = users.delete(id);
        if (deleted) {
            record(AuditEventType.ACCOUNT_DELETED, actor, id);
        }
        return deleted;
    }

    /**
     * Makes the user choose a new password: their current password stops working at once (signing in with
     * it fails like a wrong password), their sessions end, every token issued for them is revoked, and they
     * are mailed a reset link, through which alone they set a new one. False when there is no such user.
     */
    public boolean forcePasswordReset(UUID id, Locale locale) {
        return forcePasswordReset(null, id, locale);
    }

    /** As {@link #forcePasswordReset(UUID, Locale)}, audited with the administrator as actor. */
    public boolean forcePasswordReset(UUID actor, UUID id, Locale locale) {
        Optional<UserAccount> user = find(id);
        if (user.isEmpty()) {
            return false;
        }
        users.clearPassword(id);
        accounts.signOutEverywhere(id); // ends their sessions and revokes their tokens (ConnectedApplications.revokeAllTokens)
        // not the rate-limited request a visitor makes: an administrator's reset always mails the link
        accounts.mailPasswordReset(user.get().email(), locale);
        record(AuditEventType.USER_PASSWORD_RESET_FORCED, actor, id);
        return true;
    }

    /** Every role that exists, sorted. */
    public List<String> roles() {
        return List.copyOf(new TreeSet<>(users.roleNames()));
    }

    /** Whether the account is locked now: permanently, or for a while after failed sign-ins. */
    public boolean isLocked(UUID id) {
        return users.findById(id).map(user -> user.account().locked() || user.temporarilyLocked(clock.instant()))
                .orElse(false);
    }

    /** Ends the account's lock, permanent or after failed sign-ins; false when there is no such user. */
    public boolean unlock(UUID actor, UUID id) {
        if (!users.unlock(id)) {
            return false;
        }
        record(AuditEventType.USER_UNLOCKED, actor, id);
        return true;
    }

    /**
     * Mails the user a password reset link, as if they had asked for one (but without the visitor's rate limit); their
     * password, sessions and tokens stay as they are. False when there is no such user.
     */
    public boolean sendResetMail(UUID actor, UUID id, Locale locale) {
        Optional<UserAccount> user = find(id);
        if (user.isEmpty()) {
            return false;
        }
        accounts.mailPasswordReset(user.get().email(), locale);
        record(AuditEventType.USER_RESET_MAIL_SENT, actor, id);
        return true;
    }

    /** The user's live browser sessions, the most recently used first; empty for an unknown user. */
    public List<Session> sessions(UUID id) {
        return sessions.activeSessions(id.toString()).stream().map(session -> new Session(session.handle(),
                session.browser(), session.system(), session.ip(), session.signedInAt(), session.lastSeenAt())).toList();
    }

    /**
     * One of a user's sessions as an administrator sees it: a handle that names it without giving away its id (a
     * bearer credential), the browser and system (null when unknown), the client IP at sign-in, and when.
     */
    public record Session(String handle, String browser, String system, String ip, Instant signedInAt,
            Instant lastSeenAt) {
    }

    /** Ends the user's session that the handle names; false when the user has no such session. */
    public boolean endSession(UUID actor, UUID id, String handle) {
        if (sessions.end(id.toString(), handle) == UserSessions.Outcome.NOT_FOUND) {
            return false;
        }
        record(AuditEventType.USER_SESSION_REVOKED, actor, id);
        return true;
    }

    /**
     * Signs the user out everywhere: every session ends and every token issued for them is revoked (their consents
     * stay). False when there is no such user.
     */
    public boolean endAllSessions(UUID actor, UUID id) {
        if (find(id).isEmpty()) {
            return false;
        }
        accounts.signOutEverywhere(id);
        record(AuditEventType.USER_SESSIONS_REVOKED, actor, id);
        return true;
    }

    /** The applications the user consented to, with the scopes granted. */
    public List<ConnectedApplications.ConnectedApplication> consents(UUID id) {
        return applications.consentedApplications(id.toString());
    }

    /** Withdraws the user's consent to the client and revokes its tokens for them; false when there was none. */
    public boolean revokeConsent(UUID actor, UUID id, String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH
                || !applications.revoke(id.toString(), clientId)) {
            return false;
        }
        audit.recordBestEffort(() -> event(AuditEventType.USER_CONSENT_REVOKED, actor, id, AuditEvent.SUCCEEDED)
                .detail("client", clientId));
        return true;
    }

    /** The user's passkeys, oldest first. */
    public List<Passkeys.PasskeySummary> passkeys(UUID id) {
        return passkeys.passkeysOf(id);
    }

    /**
     * Deletes one of the user's passkeys; false when the user has no such passkey. The last passkey of an account
     * without a password stays (refused on the field {@code passkey}): send a reset mail first.
     */
    public boolean deletePasskey(UUID actor, UUID id, String credentialId) {
        String name = passkeys.passkeysOf(id).stream().filter(passkey -> passkey.id().equals(credentialId))
                .map(Passkeys.PasskeySummary::name).findFirst().orElse(null);
        if (name == null) {
            return false;
        }
        return switch (passkeys.deleteForAdministrator(id, credentialId)) {
            case DELETED -> {
                audit.recordBestEffort(() -> event(AuditEventType.USER_PASSKEY_DELETED, actor, id, AuditEvent.SUCCEEDED)
                        .detail("passkey", name));
                yield true;
            }
            case NOT_FOUND -> false;
            case LAST_PASSKEY_OF_PASSWORDLESS_ACCOUNT ->
                throw refused(AuditEventType.USER_PASSKEY_DELETED, actor, id, "passkey", "user.passkey.lastOne");
        };
    }

    /** Whether the user has a confirmed second factor (a TOTP authenticator). */
    public boolean hasSecondFactor(UUID id) {
        return secondFactor.isEnrolled(id);
    }

    /** Removes the user's second factor and recovery codes; false when they had none. */
    public boolean removeSecondFactor(UUID actor, UUID id) {
        if (!secondFactor.removeForAdministrator(id)) {
            return false;
        }
        record(AuditEventType.USER_SECOND_FACTOR_REMOVED, actor, id);
        return true;
    }

    /** An administrator's action on a user: subject {@code user:<uuid>}, details actor and outcome. */
    private static AuditEvent event(AuditEventType type, UUID actor, UUID id, String outcome) {
        return AuditEvent.of(type).user(id).subject("user:" + id).actor(actor == null ? null : actor.toString())
                .outcome(outcome);
    }

    private void record(AuditEventType type, UUID actor, UUID id) {
        audit.recordBestEffort(() -> event(type, actor, id, AuditEvent.SUCCEEDED));
    }

    /** Records the refusal and returns the violation to throw. */
    private AccountRuleViolation refused(AuditEventType type, UUID actor, UUID id, String field, String messageKey) {
        audit.recordBestEffort(() -> event(type, actor, id, AuditEvent.REFUSED).detail("reason", messageKey));
        return new AccountRuleViolation(field, messageKey);
    }
}
