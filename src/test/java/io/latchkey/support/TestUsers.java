package io.latchkey.support;

import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Creates users directly in the database, as registration (a later feature) would. */
public final class TestUsers {

    private TestUsers() {
    }

    public static UUID create(JdbcTemplate jdbc, PasswordEncoder encoder, String email, String password, String name) {
        return createWithHash(jdbc, email, encoder.encode(password), name);
    }

    /**
     * As {@link #create}, with a password hash made before: a test that needs many users with one password
     * hashes it once (bcrypt at the server's cost takes a good fraction of a second).
     */
    public static UUID createWithHash(JdbcTemplate jdbc, String email, String passwordHash, String name) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO users (id, email, email_normalized, email_verified, name, password_hash) "
                + "VALUES (?, ?, ?, TRUE, ?, ?)", id, email, email.toLowerCase(Locale.ROOT), name, passwordHash);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'user')", id);
        return id;
    }

    public static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@latchkey.test";
    }
}
