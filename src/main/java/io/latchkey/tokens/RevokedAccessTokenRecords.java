package io.latchkey.tokens;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of the deny list of revoked stateless access tokens ({@code revoked_access_tokens}). */
@Repository
class RevokedAccessTokenRecords {

    private final JdbcClient jdbc;

    RevokedAccessTokenRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds the token; a token revoked before (by this or another instance) raises a duplicate key. */
    void insert(String jti, Instant expiresAt) {
        jdbc.sql("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (:jti, :expires)")
                .param("jti", jti)
                .param("expires", Timestamp.from(expiresAt))
                .update();
    }

    /** Tokens revoked at or after {@code since} (the database's time) that expire after {@code expiringAfter}. */
    List<Revoked> revokedSince(Instant since, Instant expiringAfter) {
        return jdbc.sql("SELECT jti, expires_at, revoked_at FROM revoked_access_tokens "
                        + "WHERE revoked_at >= :since AND expires_at > :expiring")
                .param("since", Timestamp.from(since))
                .param("expiring", Timestamp.from(expiringAfter))
                .query((rs, row) -> new Revoked(rs.getString("jti"), rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("revoked_at").toInstant()))
                .list();
    }

    /** Deletes up to {@code batchSize} entries of tokens that expired before {@code cutoff}. */
    int deleteExpiredBefore(Instant cutoff, int batchSize) {
        return jdbc.sql("DELETE FROM revoked_access_tokens WHERE jti IN (SELECT jti FROM revoked_access_tokens "
                        + "WHERE expires_at < :cutoff ORDER BY expires_at LIMIT :batch)")
                .param("cutoff", Timestamp.from(cutoff))
                .param("batch", batchSize)
                .update();
    }

    record Revoked(String jti, Instant expiresAt, Instant revokedAt) {
    }
}
