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
    public static final String ROLES_WRITE = "roles:write";

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
