package io.latchkey.mfa;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of the second factor: {@code totp_factors} and {@code recovery_codes}. */
@Repository
class TotpFactorRepository {

    private final JdbcClient jdbc;

    TotpFactorRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A user's authenticator, pending or confirmed. */
    record StoredFactor(UUID userId, String secretSealed, Instant confirmedAt, Long lastUsedStep) {

        boolean confirmed() {
            return confirmedAt != null;
        }
    }

    Optional<StoredFactor> find(UUID userId) {
        return jdbc.sql("SELECT user_id, secret_sealed, confirmed_at, last_used_step FROM totp_factors "
                        + "WHERE user_id = :user")
                .param("user", userId)
                .query((rs, row) -> {
                    Timestamp confirmed = rs.getTimestamp("confirmed_at");
                    long step = rs.getLong("last_used_step");
                    return new StoredFactor(rs.getObject("user_id", UUID.class), rs.getString("secret_sealed"),
                            confirmed == null ? null : confirmed.toInstant(), rs.wasNull() ? null : step);
                })
                .optional();
    }

    boolean isConfirmed(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM totp_factors WHERE user_id = :user AND confirmed_at IS NOT NULL")
                .param("user", userId).query(Long.class).single() > 0;
    }

    /** Replaces a pending enrolment with a new one; false when the user has a confirmed factor (left alone). */
    boolean replacePending(UUID userId, String sealed, Instant now) {
        jdbc.sql("DELETE FROM totp_factors WHERE user_id = :user AND confirmed_at IS NULL").param("user", userId)
                .update();
        return jdbc.sql("INSERT INTO totp_factors (user_id, secret_sealed, created_at) SELECT :user, :sealed, :now "
                        + "WHERE NOT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = :user)")
                .param("user", userId)
                .param("sealed", sealed)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    /**
     * Confirms the pending enrolment whose secret is still {@code sealed}, recording {@code step} as used; false
     * when it was replaced, confirmed or removed meanwhile.
     */
    boolean confirm(UUID userId, String sealed, long step, Instant now) {
        return jdbc.sql("UPDATE totp_factors SET confirmed_at = :now, last_used_step = :step "
                        + "WHERE user_id = :user AND confirmed_at IS NULL AND secret_sealed = :sealed")
                .param("now", Timestamp.from(now))
                .param("step", step)
                .param("user", userId)
                .param("sealed", sealed)
                .update() == 1;
    }

    /** Records {@code step} as used if it is newer than the last used one: the replay guard, atomic. */
    boolean useStep(UUID userId, long step) {
        return jdbc.sql("UPDATE totp_factors SET last_used_step = :step WHERE user_id = :user "
                        + "AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < :step)")
                .param("step", step)
                .param("user", userId)
                .update() == 1;
    }

    /** Removes the user's authenticator and recovery codes; false when there was no confirmed one. */
    boolean remove(UUID userId) {
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = :user").param("user", userId).update();
        return jdbc.sql("DELETE FROM totp_factors WHERE user_id = :user AND confirmed_at IS NOT NULL")
                .param("user", userId).update() == 1;
    }

    /** Replaces every recovery code of the user with these hashes. */
    void replaceRecoveryCodes(UUID userId, List<String> hashes, String hashKeyId, Instant now) {
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = :user").param("user", userId).update();
        for (String hash : hashes) {
            jdbc.sql("INSERT INTO recovery_codes (user_id, code_hash, hash_key_id, created_at) "
                            + "VALUES (:user, :hash, :key, :now)")
                    .param("user", userId)
                    .param("hash", hash)
                    .param("key", hashKeyId)
                    .param("now", Timestamp.from(now))
                    .update();
        }
    }

    /** Spends the unused recovery code with one of these hashes; false when there is none (wrong or spent). */
    boolean spendRecoveryCode(UUID userId, List<String> candidateHashes, Instant now) {
        return jdbc.sql("UPDATE recovery_codes SET used_at = :now WHERE user_id = :user AND used_at IS NULL "
                        + "AND code_hash IN (:hashes)")
                .param("now", Timestamp.from(now))
                .param("user", userId)
                .param("hashes", candidateHashes)
                .update() == 1;
    }

    int unusedRecoveryCodes(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_codes WHERE user_id = :user AND used_at IS NULL")
                .param("user", userId).query(Long.class).single().intValue();
    }
}
