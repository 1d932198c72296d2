package io.latchkey.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

    private static final String COLUMNS = "u.id, u.email, u.email_verified, u.name, u.enabled, u.locked, "
            + "u.password_hash, u.locked_until";
    /**
     * A user with their roles in one statement: one row per role (or one with a null role), read by
     * {@link #collect}. Looking roles up from a row mapper would ask the pool for a second connection
     * while the first is still held, which stalls every request once the pool is shared out.
     */
    private static final String WITH_ROLES = " LEFT JOIN user_roles r ON r.user_id = u.id";

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    Optional<StoredUser> findByEmail(String email) {
        return jdbc.sql("SELECT " + COLUMNS + ", r.role_name FROM users u" + WITH_ROLES
                        + " WHERE u.email_normalized = :email")
                .param("email", normalize(email))
                .query(UserRepository::collect).stream().findFirst();
    }

    Optional<StoredUser> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + ", r.role_name FROM users u" + WITH_ROLES + " WHERE u.id = :id")
                .param("id", id)
                .query(UserRepository::collect).stream().findFirst();
    }

    boolean anyUserHasRole(String role) {
        return jdbc.sql("SELECT COUNT(*) FROM user_roles WHERE role_name = :role")
                .param("role", role).query(Long.class).single() > 0;
    }

    void insert(UUID id, String email, boolean emailVerified, String name, String passwordHash) {
        jdbc.sql("INSERT INTO users (id, email, email_normalized, email_verified, name, password_hash) "
                        + "VALUES (:id, :email, :normalized, :verified, :name, :hash)")
                .param("id", id)
                .param("email", email.trim())
                .param("normalized", normalize(email))
                .param("verified", emailVerified)
                .param("name", name)
                .param("hash", passwordHash)
                .update();
    }

    void grantRole(UUID userId, String role) {
        jdbc.sql("INSERT INTO user_roles (user_id, role_name) VALUES (:user, :role)")
                .param("user", userId).param("role", role).update();
    }

    /** Stores a re-encoded hash of the same password (an upgrade at login). */
    void updatePasswordHash(UUID id, String hash) {
        jdbc.sql("UPDATE users SET password_hash = :hash, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("hash", hash).param("id", id).update();
    }

    /** Stores the hash of a new password; a password the user chose ends a required change. */
    void changePassword(UUID id, String hash) {
        jdbc.sql("UPDATE users SET password_hash = :hash, password_changed_at = CURRENT_TIMESTAMP, "
                        + "password_change_required = FALSE, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("hash", hash).param("id", id).update();
    }

    /** The user must choose a new password before anything else ({@link PasswordChangeRequired}). */
    void requirePasswordChange(UUID id) {
        jdbc.sql("UPDATE users SET password_change_required = TRUE, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).update();
    }

    boolean passwordChangeRequired(UUID id) {
        return jdbc.sql("SELECT password_change_required FROM users WHERE id = :id").param("id", id)
                .query(Boolean.class).optional().orElse(false);
    }

    /**
     * Takes the password away (a forced reset, an undone email change): an account without one cannot sign in
     * with any password, and gets one again only through a reset link.
     */
    void clearPassword(UUID id) {
        jdbc.sql("UPDATE users SET password_hash = NULL, password_changed_at = CURRENT_TIMESTAMP, "
                        + "updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).update();
    }

    void markEmailVerified(UUID id) {
        jdbc.sql("UPDATE users SET email_verified = TRUE, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).update();
    }

    /** Changes the email to an already verified address; false when another account has it. */
    boolean changeEmail(UUID id, String email) {
        if (findByEmail(email).filter(other -> !other.account().id().equals(id)).isPresent()) {
            return false;
        }
        return jdbc.sql("UPDATE users SET email = :email, email_normalized = :normalized, email_verified = TRUE, "
                        + "updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("email", email.trim()).param("normalized", normalize(email)).param("id", id)
                .update() == 1;
    }

    void updateName(UUID id, String name) {
        jdbc.sql("UPDATE users SET name = :name, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("name", name).param("id", id).update();
    }

    /** Users whose normalized email or lower-cased name contains {@code lowerQuery}, by email. */
    List<StoredUser> searchStored(String lowerQuery, long offset, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + ", r.role_name FROM (SELECT * FROM users WHERE " + SEARCH
                        + " ORDER BY email_normalized, id LIMIT :limit OFFSET :offset) u" + WITH_ROLES
                        + " ORDER BY u.email_normalized, u.id")
                .param("q", likePattern(lowerQuery)).param("limit", limit).param("offset", offset)
                .query(UserRepository::collect);
    }

    List<UserAccount> search(String lowerQuery, long offset, int limit) {
        return searchStored(lowerQuery, offset, limit).stream().map(StoredUser::account).toList();
    }

    long count(String lowerQuery) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE " + SEARCH)
                .param("q", likePattern(lowerQuery)).query(Long.class).single();
    }

    private static final String SEARCH = "(email_normalized LIKE :q ESCAPE '\\' OR LOWER(COALESCE(name, '')) LIKE :q ESCAPE '\\')";

    /** A LIKE pattern that matches the text anywhere, with LIKE's own wildcards taken literally. */
    static String likePattern(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    boolean setEnabled(UUID id, boolean enabled) {
        return jdbc.sql("UPDATE users SET enabled = :enabled, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("enabled", enabled).param("id", id).update() == 1;
    }

    Set<String> roleNames() {
        return new HashSet<>(jdbc.sql("SELECT name FROM roles").query(String.class).list());
    }

    void replaceRoles(UUID id, Set<String> roles) {
        jdbc.sql("DELETE FROM user_roles WHERE user_id = :id").param("id", id).update();
        roles.forEach(role -> grantRole(id, role));
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM users WHERE id = :id").param("id", id).update() == 1;
    }

    /** Users in the order of the rows, each with the roles of its rows (rows of one user come together). */
    private static List<StoredUser> collect(ResultSet rs) throws SQLException {
        Map<UUID, StoredUser> users = new LinkedHashMap<>();
        Map<UUID, Set<String>> roles = new LinkedHashMap<>();
        while (rs.next()) {
            UUID id = rs.getObject("id", UUID.class);
            if (!users.containsKey(id)) {
                users.put(id, user(rs, id));
                roles.put(id, new HashSet<>());
            }
            String role = rs.getString("role_name");
            if (role != null) {
                roles.get(id).add(role);
            }
        }
        List<StoredUser> result = new ArrayList<>(users.size());
        users.forEach((id, user) -> result.add(user.withRoles(roles.get(id))));
        return result;
    }

    private static StoredUser user(ResultSet rs, UUID id) throws SQLException {
        UserAccount account = new UserAccount(id, rs.getString("email"), rs.getBoolean("email_verified"),
                rs.getString("name"), rs.getBoolean("enabled"), rs.getBoolean("locked"), Set.of());
        Timestamp lockedUntil = rs.getTimestamp("locked_until");
        return new StoredUser(account, rs.getString("password_hash"), lockedUntil == null ? null : lockedUntil.toInstant());
    }

    /**
     * Locks the account with this email until the given time, unless it is locked already. True when this
     * call locked it (so that the owner is told once per lock).
     */
    boolean lockUntil(String email, Instant now, Instant until) {
        return jdbc.sql("UPDATE users SET locked_until = :until, updated_at = CURRENT_TIMESTAMP "
                        + "WHERE email_normalized = :email AND (locked_until IS NULL OR locked_until <= :now)")
                .param("until", Timestamp.from(until)).param("email", normalize(email)).param("now", Timestamp.from(now))
                .update() == 1;
    }

    /** Ends both a permanent lock and a lock after failed sign-ins; false when there is no such user. */
    boolean unlock(UUID id) {
        return jdbc.sql("UPDATE users SET locked = FALSE, locked_until = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).update() == 1;
    }

    void clearLock(UUID id) {
        jdbc.sql("UPDATE users SET locked_until = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).update();
    }

    /** lockedUntil: the end of a temporary lock after failed sign-ins, or null (it may lie in the past). */
    record StoredUser(UserAccount account, String passwordHash, Instant lockedUntil) {

        boolean temporarilyLocked(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }

        StoredUser withRoles(Set<String> roles) {
            UserAccount a = account;
            return new StoredUser(new UserAccount(a.id(), a.email(), a.emailVerified(), a.name(), a.enabled(), a.locked(),
                    Set.copyOf(roles)), passwordHash, lockedUntil);
        }
    }
}
