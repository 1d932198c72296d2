package io.latchkey.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Users as a configuration document carries them: email, name, whether verified and enabled, the password hash and
 * the roles. Nothing else of an account (sessions, passkeys, second factors, consents) is read or written here.
 */
@Repository
class UserStore {

    private final JdbcClient jdbc;

    UserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every user, by email; the roles of all of them in one query. */
    List<ConfigurationDocument.User> all() {
        Map<UUID, List<String>> roles = new HashMap<>();
        jdbc.sql("SELECT user_id, role_name FROM user_roles ORDER BY role_name")
                .query((rs, row) -> roles.computeIfAbsent(rs.getObject("user_id", UUID.class), id -> new ArrayList<>())
                        .add(rs.getString("role_name")))
                .list();
        return jdbc.sql("SELECT id, email, name, email_verified, enabled, password_hash FROM users "
                        + "ORDER BY email_normalized")
                .query((rs, row) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    return new ConfigurationDocument.User(id.toString(), rs.getString("email"), rs.getString("name"),
                            rs.getBoolean("email_verified"), rs.getBoolean("enabled"), rs.getString("password_hash"),
                            List.copyOf(roles.getOrDefault(id, List.of())));
                })
                .list();
    }

    /** The user with this email (any case). */
    Optional<ConfigurationDocument.User> findByEmail(String email) {
        return jdbc.sql("SELECT id, email, name, email_verified, enabled, password_hash FROM users "
                        + "WHERE email_normalized = :email")
                .param("email", normalize(email))
                .query((rs, row) -> user(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
                        rs.getBoolean("email_verified"), rs.getBoolean("enabled"), rs.getString("password_hash")))
                .optional();
    }

    boolean exists(UUID id) {
        return jdbc.sql("SELECT count(*) FROM users WHERE id = :id").param("id", id).query(Long.class).single() > 0;
    }

    void create(UUID id, ConfigurationDocument.User user) {
        jdbc.sql("INSERT INTO users (id, email, email_normalized, email_verified, name, password_hash, enabled) "
                        + "VALUES (:id, :email, :normalized, :verified, :name, :hash, :enabled)")
                .param("id", id).param("email", user.email().trim()).param("normalized", normalize(user.email()))
                .param("verified", user.emailVerified()).param("name", user.name())
                .param("hash", user.passwordHash()).param("enabled", user.enabled()).update();
    }

    /** Sets the name, whether the email is verified, and the password hash when one is given. */
    void update(UUID id, ConfigurationDocument.User user) {
        jdbc.sql("UPDATE users SET name = :name, email_verified = :verified, "
                        + "password_hash = COALESCE(:hash, password_hash), updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).param("name", user.name()).param("verified", user.emailVerified())
                .param("hash", user.passwordHash()).update();
    }

    void setEnabled(UUID id, boolean enabled) {
        jdbc.sql("UPDATE users SET enabled = :enabled, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).param("enabled", enabled).update();
    }

    /** Gives the user exactly these roles. */
    void replaceRoles(UUID id, List<String> roles) {
        jdbc.sql("DELETE FROM user_roles WHERE user_id = :id").param("id", id).update();
        for (String role : new TreeSet<>(roles)) {
            jdbc.sql("INSERT INTO user_roles (user_id, role_name) VALUES (:id, :role)")
                    .param("id", id).param("role", role).update();
        }
    }

    static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private ConfigurationDocument.User user(UUID id, String email, String name, boolean verified, boolean enabled,
            String hash) {
        List<String> roles = jdbc.sql("SELECT role_name FROM user_roles WHERE user_id = :id ORDER BY role_name")
                .param("id", id).query(String.class).list();
        return new ConfigurationDocument.User(id.toString(), email, name, verified, enabled, hash, roles);
    }
}
