package io.latchkey.account;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * What an administrator may do to roles: list them with their permissions and members, create one, replace its
 * permissions, delete it. The rules: a name is {@value #NAME_RULE}; a role holds only permissions of
 * {@link Permissions#ALL}; the roles {@code admin} and {@code user} cannot be deleted, and {@code admin} always holds
 * every permission, so that some role can always do everything. Who may call it is the caller's business.
 */
@Service
public class RoleAdministration {

    public static final String NAME_RULE = "[a-z][a-z0-9_-]{0,63}";
    public static final int MAX_DESCRIPTION_LENGTH = 200;
    /** More names than there are permissions is certainly a mistake (or an attack), answered before any lookup. */
    public static final int MAX_PERMISSIONS_IN_REQUEST = 50;
    private static final Pattern NAME = Pattern.compile(NAME_RULE);
    private static final Set<String> BUILT_IN = Set.of(AdminBootstrap.ADMIN_ROLE, "user");

    private final RoleRepository roles;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    RoleAdministration(RoleRepository roles, AuditLog audit, TransactionTemplate transactions) {
        this.roles = roles;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** A role, its permissions (sorted) and how many users hold it. */
    public record Role(String name, String description, Set<String> permissions, long members) {

        public Role {
            permissions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(permissions));
        }

        /** The permissions in the order of {@link Permissions#ALL}. */
        public List<String> permissionsInOrder() {
            return Permissions.ALL.stream().filter(permissions::contains).toList();
        }

        public boolean builtIn() {
            return BUILT_IN.contains(name);
        }
    }

    /** Every role, by name. */
    public List<Role> roles() {
        return roles.all();
    }

    public Optional<Role> find(String name) {
        return validName(name) ? roles.find(name) : Optional.empty();
    }

    /** Every permission a role can hold, in the console's order. */
    public List<String> permissions() {
        return Permissions.ALL;
    }

    /** Creates a role with these permissions (none when null); the name must be new. */
    public Role create(UUID actor, String name, String description, Collection<String> permissions) {
        if (name == null || name.isBlank()) {
            throw refused(AuditEventType.ROLE_CREATED, actor, null, "name", "field.required");
        }
        if (!validName(name)) {
            throw refused(AuditEventType.ROLE_CREATED, actor, null, "name", "role.name.invalid");
        }
        String text = description == null || description.isBlank() ? null : description.strip();
        if (text != null && (text.length() > MAX_DESCRIPTION_LENGTH || !text.matches(AccountFields.NO_CONTROL_CHARACTERS))) {
            throw refused(AuditEventType.ROLE_CREATED, actor, name, "description", "role.description.invalid");
        }
        Set<String> wanted = checkedPermissions(AuditEventType.ROLE_CREATED, actor, name, permissions == null ? List.of() : permissions);
        try {
            transactions.executeWithoutResult(status -> {
                if (roles.exists(name)) {
                    throw new DuplicateKeyException(name);
                }
                roles.insert(name, text);
                roles.replacePermissions(name, wanted);
            });
        }
        catch (DuplicateKeyException taken) {
            throw refused(AuditEventType.ROLE_CREATED, actor, name, "name", "role.name.taken");
        }
        record(AuditEvent.of(AuditEventType.ROLE_CREATED), actor, name, AuditEvent.SUCCEEDED, wanted);
        return roles.find(name).orElseThrow();
    }

    /**
     * Replaces the role's permissions; empty when there is no such role. The role {@code admin} keeps every
     * permission: a set without one of them is refused.
     */
    public Optional<Role> setPermissions(UUID actor, String name, Collection<String> permissions) {
        if (!validName(name)) {
            return Optional.empty();
        }
        if (permissions == null) {
            throw refused(AuditEventType.ROLE_PERMISSIONS_CHANGED, actor, name, "permissions", "field.required");
        }
        Set<String> wanted = checkedPermissions(AuditEventType.ROLE_PERMISSIONS_CHANGED, actor, name, permissions);
        if (AdminBootstrap.ADMIN_ROLE.equals(name) && !wanted.containsAll(Permissions.ALL)) {
            throw refused(AuditEventType.ROLE_PERMISSIONS_CHANGED, actor, name, "permissions", "role.admin.keepsAll");
        }
        Boolean found = transactions.execute(status -> {
            if (!roles.lock(name)) {
                return false;
            }
            roles.replacePermissions(name, wanted);
            return true;
        });
        if (!Boolean.TRUE.equals(found)) {
            return Optional.empty();
        }
        record(AuditEvent.of(AuditEventType.ROLE_PERMISSIONS_CHANGED), actor, name, AuditEvent.SUCCEEDED, wanted);
        return roles.find(name);
    }

    /** Deletes the role, which its members lose; false when there is no such role. {@code admin} and {@code user} stay. */
    public boolean delete(UUID actor, String name) {
        if (!validName(name)) {
            return false;
        }
        if (BUILT_IN.contains(name)) {
            throw refused(AuditEventType.ROLE_DELETED, actor, name, "name", "role.builtIn");
        }
        if (!roles.delete(name)) {
            return false;
        }
        record(AuditEvent.of(AuditEventType.ROLE_DELETED), actor, name, AuditEvent.SUCCEEDED, null);
        return true;
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private Set<String> checkedPermissions(AuditEventType type, UUID actor, String role, Collection<String> permissions) {
        if (permissions.size() > MAX_PERMISSIONS_IN_REQUEST) {
            throw refused(type, actor, role, "permissions", "role.permission.unknown");
        }
        Set<String> wanted = new TreeSet<>();
        for (String permission : permissions) {
            if (permission == null || !Permissions.ALL.contains(permission)) {
                throw refused(type, actor, role, "permissions", "role.permission.unknown");
            }
            wanted.add(permission);
        }
        return wanted;
    }

    /** Records the refusal (the role's name only when it is a valid one) and returns the violation to throw. */
    private AccountRuleViolation refused(AuditEventType type, UUID actor, String name, String field, String messageKey) {
        record(AuditEvent.of(type).detail("reason", messageKey), actor, validName(name) ? name : null,
                AuditEvent.REFUSED, null);
        return new AccountRuleViolation(field, messageKey);
    }

    private void record(AuditEvent event, UUID actor, String role, String outcome, Set<String> permissions) {
        audit.recordBestEffort(() -> {
            AuditEvent recorded = event.subject(role == null ? null : "role:" + role)
                    .actor(actor == null ? null : actor.toString()).outcome(outcome);
            return permissions == null ? recorded : recorded.detail("permissions", String.join(",", permissions));
        });
    }
}
