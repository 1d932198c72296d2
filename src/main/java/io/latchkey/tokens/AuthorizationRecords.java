package io.latchkey.tokens;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of the authorization store. Every lookup by token is one primary-key probe on its hash. */
@Repository
class AuthorizationRecords {

    private static final String AUTHORIZATION_COLUMNS = "a.id, a.registered_client_id, a.principal_name, a.grant_type, "
            + "a.authorized_scopes, a.attributes, a.version, a.created_at";
    private static final String TOKEN_COLUMNS = "t.token_hash, t.token_type, t.issued_at, t.expires_at, t.invalidated, "
            + "t.metadata, t.hash_key_id";

    private final JdbcClient jdbc;

    AuthorizationRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The authorization a token belongs to, with its current tokens, and how the token itself stands. The token
     * is looked for under each of {@code hashes} (its hash under every configured master key): still one
     * primary-key probe per hash.
     */
    Optional<Found> findByTokenHash(List<String> hashes, String tokenType) {
        String sql = "SELECT hit.token_hash AS hit_hash, hit.token_type AS hit_type, hit.current_token AS hit_current, "
                + AUTHORIZATION_COLUMNS + ", " + TOKEN_COLUMNS + " FROM authorization_tokens hit "
                + "JOIN authorizations a ON a.id = hit.authorization_id "
                + "LEFT JOIN authorization_tokens t ON t.authorization_id = a.id AND t.current_token = TRUE "
                + "WHERE " + (hashes.size() == 1 ? "hit.token_hash = :hash" : "hit.token_hash IN (:hash)")
                + (tokenType == null ? "" : " AND hit.token_type = :type");
        JdbcClient.StatementSpec statement = jdbc.sql(sql).param("hash", hashes.size() == 1 ? hashes.get(0) : hashes);
        if (tokenType != null) {
            statement = statement.param("type", tokenType);
        }
        return statement.query(rs -> {
            Found found = null;
            while (rs.next()) {
                if (found == null) {
                    found = new Found(authorization(rs), new ArrayList<>(), rs.getString("hit_type"),
                            rs.getBoolean("hit_current"), rs.getString("hit_hash"));
                }
                else if (!found.hitHash().equals(rs.getString("hit_hash"))) {
                    // the same value under two master keys: only one of them can be the token's row
                    continue;
                }
                addToken(rs, found.tokens());
            }
            return Optional.ofNullable(found);
        });
    }

    Optional<Found> findById(String id) {
        return jdbc.sql("SELECT " + AUTHORIZATION_COLUMNS + ", " + TOKEN_COLUMNS + " FROM authorizations a "
                        + "LEFT JOIN authorization_tokens t ON t.authorization_id = a.id AND t.current_token = TRUE "
                        + "WHERE a.id = :id")
                .param("id", id)
                .query(rs -> {
                    Found found = null;
                    while (rs.next()) {
                        if (found == null) {
                            found = new Found(authorization(rs), new ArrayList<>(), null, true, null);
                        }
                        addToken(rs, found.tokens());
                    }
                    return Optional.ofNullable(found);
                });
    }

    void insert(AuthorizationRow row, Instant expiresAt) {
        jdbc.sql("INSERT INTO authorizations (id, registered_client_id, principal_name, grant_type, authorized_scopes, "
                        + "attributes, version, expires_at) VALUES (:id, :client, :principal, :grant, :scopes, :attributes, 0, :expires)")
                .param("id", row.id())
                .param("client", row.registeredClientId())
                .param("principal", row.principalName())
                .param("grant", row.grantType())
                .param("scopes", row.authorizedScopes())
                .param("attributes", row.attributes())
                .param("expires", Timestamp.from(expiresAt))
                .update();
    }

    /** Optimistic update: false when another request changed the authorization since it was read. */
    boolean update(AuthorizationRow row, int expectedVersion, Instant expiresAt) {
        return jdbc.sql("UPDATE authorizations SET principal_name = :principal, authorized_scopes = :scopes, "
                        + "attributes = :attributes, expires_at = :expires, version = version + 1 "
                        + "WHERE id = :id AND version = :version")
                .param("principal", row.principalName())
                .param("scopes", row.authorizedScopes())
                .param("attributes", row.attributes())
                .param("expires", Timestamp.from(expiresAt))
                .param("id", row.id())
                .param("version", expectedVersion)
                .update() == 1;
    }

    /** Hash to type of the authorization's current tokens. */
    Map<String, String> currentTokens(String authorizationId) {
        Map<String, String> tokens = new HashMap<>();
        jdbc.sql("SELECT token_hash, token_type FROM authorization_tokens WHERE authorization_id = :id AND current_token = TRUE")
                .param("id", authorizationId)
                .query(rs -> {
                    tokens.put(rs.getString("token_hash"), rs.getString("token_type"));
                });
        return tokens;
    }

    void insertToken(String authorizationId, TokenRow token) {
        jdbc.sql("INSERT INTO authorization_tokens (token_hash, authorization_id, token_type, issued_at, expires_at, "
                        + "invalidated, current_token, metadata, hash_key_id) "
                        + "VALUES (:hash, :id, :type, :issued, :expires, :invalidated, TRUE, :metadata, :keyId)")
                .param("hash", token.hash())
                .param("keyId", token.keyId())
                .param("id", authorizationId)
                .param("type", token.type())
                .param("issued", timestamp(token.issuedAt()))
                .param("expires", timestamp(token.expiresAt()))
                .param("invalidated", token.invalidated())
                .param("metadata", token.metadata())
                .update();
    }

    void updateToken(TokenRow token) {
        jdbc.sql("UPDATE authorization_tokens SET invalidated = :invalidated, metadata = :metadata, "
                        + "expires_at = :expires WHERE token_hash = :hash")
                .param("invalidated", token.invalidated())
                .param("metadata", token.metadata())
                .param("expires", timestamp(token.expiresAt()))
                .param("hash", token.hash())
                .update();
    }

    /** Keeps a replaced token (a rotated refresh token) so that presenting it again can be recognised. */
    void retireToken(String hash) {
        jdbc.sql("UPDATE authorization_tokens SET current_token = FALSE WHERE token_hash = :hash")
                .param("hash", hash).update();
    }

    /**
     * Invalidates every token of the authorization and lets it expire now. Run it in a transaction: the
     * authorization row is locked first, in the same order as {@link #update}, so that a revocation and a
     * concurrent refresh of the same login wait for each other instead of deadlocking. False when the
     * authorization had ended already (revoked before, or expired): nothing was left to revoke.
     */
    boolean revokeAll(String authorizationId, Instant now) {
        boolean live = jdbc.sql("UPDATE authorizations SET expires_at = :now, version = version + 1 "
                        + "WHERE id = :id AND expires_at > :now")
                .param("now", Timestamp.from(now)).param("id", authorizationId).update() == 1;
        if (live) {
            jdbc.sql("UPDATE authorization_tokens SET invalidated = TRUE WHERE authorization_id = :id AND invalidated = FALSE")
                    .param("id", authorizationId).update();
        }
        return live;
    }

    /** Deletes every authorization of a client, and so every token issued to it; returns how many went. */
    int deleteForClient(String registeredClientId) {
        return jdbc.sql("DELETE FROM authorizations WHERE registered_client_id = :client")
                .param("client", registeredClientId).update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM authorizations WHERE id = :id").param("id", id).update();
    }

    /** Deletes up to {@code batchSize} authorizations that expired before {@code cutoff}; their tokens go with them. */
    int deleteExpiredBefore(Instant cutoff, int batchSize) {
        return jdbc.sql("DELETE FROM authorizations WHERE id IN (SELECT id FROM authorizations WHERE expires_at < :cutoff "
                        + "ORDER BY expires_at LIMIT :batch)")
                .param("cutoff", Timestamp.from(cutoff))
                .param("batch", batchSize)
                .update();
    }

    private static AuthorizationRow authorization(ResultSet rs) throws SQLException {
        return new AuthorizationRow(rs.getString("id"), rs.getString("registered_client_id"),
                rs.getString("principal_name"), rs.getString("grant_type"), rs.getString("authorized_scopes"),
                rs.getString("attributes"), rs.getInt("version"), instant(rs, "created_at"));
    }

    private static void addToken(ResultSet rs, List<TokenRow> tokens) throws SQLException {
        String hash = rs.getString("token_hash");
        if (hash != null) {
            tokens.add(new TokenRow(hash, rs.getString("token_type"), instant(rs, "issued_at"), instant(rs, "expires_at"),
                    rs.getBoolean("invalidated"), rs.getString("metadata"), rs.getString("hash_key_id")));
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /** createdAt: set by the database on insert, read only (the start of a sign-in's refresh family). */
    record AuthorizationRow(String id, String registeredClientId, String principalName, String grantType,
            String authorizedScopes, String attributes, int version, Instant createdAt) {
    }

    /** keyId: the id of the master key the hash was made under (null for rows older than master key ids). */
    record TokenRow(String hash, String type, Instant issuedAt, Instant expiresAt, boolean invalidated, String metadata,
            String keyId) {
    }

    /** hitHash: the stored hash of the token the lookup was made with (null when looked up by id). */
    record Found(AuthorizationRow authorization, List<TokenRow> tokens, String hitType, boolean hitCurrent,
            String hitHash) {
    }
}
