package io.latchkey.account;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.audit.AuditEventType;

/**
 * What an administrator may do to other users' accounts: search them, rename, disable and enable them,
 * set their roles, delete them and make them choose a new password. Who may call it is the caller's
 * business (the API checks permissions); the rules about the accounts themselves are here.
 */
@Service
public class UserAdministration {

    /** The largest page a search returns. */
    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_QUERY_LENGTH = 320;

    private final UserRepository users;
    private final AccountService accounts;
    private final ConnectedApplications applications;
    private final AccountAudit audit;
    private final TransactionTemplate transactions;

    UserAdministration(UserRepository users, AccountService accounts, ConnectedApplications applications,
            AccountAudit audit, TransactionTemplate transactions) {
        this.users = users;
        this.accounts = accounts;
        this.applications = applications;
        this.audit = audit;
        this.transactions = transactions;
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
        if (!enabled && id.equals(actor)) {
            throw new AccountRuleViolation("enabled", "user.self");
        }
        if (!users.setEnabled(id, enabled)) {
            return false;
        }
        if (!enabled) {
            accounts.signOutEverywhere(id);
        }
        audit.record(enabled ? AuditEventType.ACCOUNT_ENABLED : AuditEventType.ACCOUNT_DISABLED, id,
                actor == null ? null : actor.toString());
        return true;
    }

    /**
     * Replaces the user's roles with existing roles. An administrator cannot take the admin role from
     * themselves, so there is always one left. Empty when there is no such user.
     */
    public Optional<UserAccount> setRoles(UUID actor, UUID id, Collection<String> roles) {
        if (roles == null) {
            throw new AccountRuleViolation("roles", "field.required");
        }
        Set<String> known = users.roleNames();
        Set<String> wanted = new TreeSet<>();
        for (String role : roles) {
            if (role == null || !known.contains(role)) {
                throw new AccountRuleViolation("roles", "roles.unknown");
            }
            wanted.add(role);
        }
        if (id.equals(actor) && !wanted.contains(AdminBootstrap.ADMIN_ROLE)) {
            throw new AccountRuleViolation("roles", "user.self");
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
        audit.record(AuditEventType.ROLES_CHANGED, id, String.join(",", wanted));
        return find(id);
    }

    /** Deletes the account, its sessions, tokens and consents. Nobody deletes their own account this way. */
    public boolean delete(UUID actor, UUID id) {
        if (id.equals(actor)) {
            throw new AccountRuleViolation("id", "user.self");
        }
        if (find(id).isEmpty()) {
            return false;
        }
        accounts.signOutEverywhere(id);
        applications.withdrawAll(id.toString());
        boolean deleted = users.delete(id);
        if (deleted) {
            audit.record(AuditEventType.ACCOUNT_DELETED, id, actor == null ? null : actor.toString());
        }
        return deleted;
    }

    /**
     * Makes the user choose a new password: their current password stops working at once (signing in with
     * it fails like a wrong password), their sessions end, every token issued for them is revoked, and they
     * are mailed a reset link, through which alone they set a new one. False when there is no such user.
     */
    public boolean forcePasswordReset(UUID id, Locale locale) {
        Optional<UserAccount> user = find(id);
        if (user.isEmpty()) {
            return false;
        }
        users.clearPassword(id);
        accounts.signOutEverywhere(id); // ends their sessions and revokes their tokens (ConnectedApplications.revokeAllTokens)
        // not the rate-limited request a visitor makes: an administrator's reset always mails the link
        accounts.mailPasswordReset(user.get().email(), locale);
        return true;
    }

    /** Every role that exists, sorted. */
    public List<String> roles() {
        return List.copyOf(new TreeSet<>(users.roleNames()));
    }
}
