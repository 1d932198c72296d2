package io.latchkey.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Users who sign in during the benchmark, written straight into the {@code users} table as registration
 * would. Their passwords are hashed like the server hashes them ({@code {bcrypt}}, cost 12); all share
 * one password, hashed once, so that creating them costs nothing.
 */
final class BenchUsers {

    static final String PASSWORD = "bench-password-" + UUID.randomUUID();

    private final List<String> emails;

    private BenchUsers(List<String> emails) {
        this.emails = emails;
    }

    static BenchUsers create(BenchDatabase database, int count) throws SQLException {
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(12).encode(PASSWORD);
        List<String> emails = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement user = connection.prepareStatement("INSERT INTO users (id, email, email_normalized, "
                        + "email_verified, name, password_hash) VALUES (?, ?, ?, TRUE, ?, ?)");
                PreparedStatement role = connection.prepareStatement(
                        "INSERT INTO user_roles (user_id, role_name) VALUES (?, 'user')")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                String email = "bench-user-" + i + "@bench.test";
                user.setObject(1, id);
                user.setString(2, email);
                user.setString(3, email);
                user.setString(4, "Bench User " + i);
                user.setString(5, hash);
                user.addBatch();
                role.setObject(1, id);
                role.addBatch();
                emails.add(email);
            }
            user.executeBatch();
            role.executeBatch();
            connection.commit();
        }
        return new BenchUsers(emails);
    }

    /** The email of the user a worker signs in as: workers spread over all users. */
    String email(int index) {
        return emails.get(Math.floorMod(index, emails.size()));
    }
}
