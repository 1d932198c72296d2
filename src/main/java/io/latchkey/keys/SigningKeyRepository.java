package io.latchkey.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class SigningKeyRepository {

    private static final String COLUMNS =
            "kid, algorithm, public_jwk, private_jwk_encrypted, created_at, retired_at, published_until";

    private final JdbcClient jdbc;

    SigningKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serializes rotation across instances; must be called inside a transaction. */
    void lockForRotation() {
        jdbc.sql("SELECT id FROM signing_key_rotation_lock WHERE id = 1 FOR UPDATE").query(Integer.class).single();
    }

    Optional<StoredSigningKey> findActive() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC")
                .query(SigningKeyRepository::map).list().stream().findFirst();
    }

    /** The active key and every retired key still published, newest first. */
    List<StoredSigningKey> findPublished(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM signing_keys WHERE published_until IS NULL OR published_until > :now "
                        + "ORDER BY created_at DESC")
                .param("now", Timestamp.from(now))
                .query(SigningKeyRepository::map).list();
    }

    /** Every stored key, published or not yet deleted. */
    List<StoredSigningKey> findAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM signing_keys ORDER BY created_at").query(SigningKeyRepository::map)
                .list();
    }

    /**
     * Replaces the sealed private key if it is still {@code expected}; false when it changed meanwhile or the key
     * is gone. Must be called inside a transaction (the row is locked while compared; H2 cannot compare text).
     */
    boolean replaceSealed(String kid, String expected, String sealed) {
        Optional<String> stored = jdbc.sql("SELECT private_jwk_encrypted FROM signing_keys WHERE kid = :kid FOR UPDATE")
                .param("kid", kid).query(String.class).optional();
        if (stored.isEmpty() || !stored.get().equals(expected)) {
            return false;
        }
        return jdbc.sql("UPDATE signing_keys SET private_jwk_encrypted = :sealed WHERE kid = :kid")
                .param("sealed", sealed)
                .param("kid", kid)
                .update() == 1;
    }

    void insert(StoredSigningKey key) {
        jdbc.sql("INSERT INTO signing_keys (" + COLUMNS + ") VALUES (:kid, :alg, :pub, :priv, :created, NULL, NULL)")
                .param("kid", key.kid())
                .param("alg", key.algorithm())
                .param("pub", key.publicJwk())
                .param("priv", key.privateJwkEncrypted())
                .param("created", Timestamp.from(key.createdAt()))
                .update();
    }

    void retire(String kid, Instant retiredAt, Instant publishedUntil) {
        jdbc.sql("UPDATE signing_keys SET retired_at = :retired, published_until = :until WHERE kid = :kid")
                .param("retired", Timestamp.from(retiredAt))
                .param("until", Timestamp.from(publishedUntil))
                .param("kid", kid)
                .update();
    }

    int deleteUnpublished(Instant now) {
        return jdbc.sql("DELETE FROM signing_keys WHERE published_until IS NOT NULL AND published_until <= :now")
                .param("now", Timestamp.from(now))
                .update();
    }

    private static StoredSigningKey map(ResultSet rs, int row) throws SQLException {
        return new StoredSigningKey(rs.getString("kid"), rs.getString("algorithm"), rs.getString("public_jwk"),
                rs.getString("private_jwk_encrypted"), instant(rs, "created_at"), instant(rs, "retired_at"),
                instant(rs, "published_until"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
