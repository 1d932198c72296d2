package io.latchkey.account;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What a user may do, from the permissions of their roles ({@code role_permissions}). Looked up on every
 * use, never cached in a token, so that a change of roles applies at once.
 */
@Service
public class Permissions {

    public static final String USERS_READ = "users:read";
    public static final String USERS_WRITE = "users:write";
    public static final String ROLES_READ = "roles:read";
    public static final String ROLES_WRITE = "roles:write";
    public static final String CLIENTS_READ = "clients:read";
    public static final String CLIENTS_WRITE = "clients:write";
    public static final String KEYS_READ = "keys:read";
    public static final String KEYS_ROTATE = "keys:rotate";
    public static final String AUDIT_READ = "audit:read";
    /** Exporting the configuration (clients, roles); with users and their password hashes also needs users:read. */
    public static final String CONFIG_EXPORT = "config:export";
    public static final String CONFIG_IMPORT = "config:import";

    /** Every permission there is, in the order the console lists them; a role can hold only these. */
    public static final List<String> ALL = List.of(USERS_READ, USERS_WRITE, ROLES_READ, ROLES_WRITE, CLIENTS_READ,
            CLIENTS_WRITE, KEYS_READ, KEYS_ROTATE, AUDIT_READ, CONFIG_EXPORT, CONFIG_IMPORT);

    private final JdbcClient jdbc;

    Permissions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The user's permissions, sorted; empty for an unknown user. */
    public Set<String> of(UUID userId) {
        List<String> permissions = jdbc.sql("SELECT DISTINCT rp.permission FROM role_permissions rp "
                        + "JOIN user_roles ur ON ur.role_name = rp.role_name WHERE ur.user_id = :user")
                .param("user", userId).query(String.class).list();
        return new TreeSet<>(permissions);
    }
}
