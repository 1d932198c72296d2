package io.latchkey.clientregistration;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.latchkey.keys.TokenHasher;

/**
 * The registration access tokens of RFC 7592: 32 random bytes, base64url, given to the client once and stored only
 * as a keyed hash ({@link TokenHasher}) in {@code client_registration_tokens}, bound to one client. A client has at
 * most one: a new one (at every update) replaces it, and deleting the client deletes it (the table's foreign key),
 * whichever way the client is deleted. Beside it the table keeps what Latchkey does not store elsewhere: the
 * client's registered {@code token_endpoint_auth_method}, and whether it was registered without an initial access
 * token, whose limits then hold for its updates too ({@link OpenRegistrationLimits}).
 */
@Repository
class RegistrationAccessTokens {

    private static final int TOKEN_BYTES = 32;

    private final JdbcClient jdbc;
    private final TokenHasher hasher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RegistrationAccessTokens(JdbcClient jdbc, TokenHasher hasher, Clock clock) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** What the table keeps of a registered client beside its token. */
    record Registered(String clientId, String authMethod, boolean openlyRegistered) {
    }

    /** Issues the client's token, replacing the one it had; returns it in the clear, to be given out once. */
    String issue(String clientId, String authMethod, boolean openlyRegistered) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        int updated = jdbc.sql("UPDATE client_registration_tokens SET token_hash = :hash, hash_key_id = :keyId, "
                        + "token_endpoint_auth_method = :method, issued_at = :now WHERE client_id = :clientId")
                .param("hash", hasher.hash(token)).param("keyId", hasher.currentKeyId()).param("method", authMethod)
                .param("now", Timestamp.from(clock.instant())).param("clientId", clientId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO client_registration_tokens (client_id, token_hash, hash_key_id, "
                            + "token_endpoint_auth_method, registered_openly, issued_at) "
                            + "VALUES (:clientId, :hash, :keyId, :method, :open, :now)")
                    .param("clientId", clientId).param("hash", hasher.hash(token)).param("keyId", hasher.currentKeyId())
                    .param("method", authMethod).param("open", openlyRegistered)
                    .param("now", Timestamp.from(clock.instant())).update();
        }
        return token;
    }

    /** The client this token was issued to, when it is the one named; empty for any other token, or garbage. */
    Optional<Registered> find(String clientId, String token) {
        List<String> candidates = hasher.candidateHashes(token);
        return jdbc.sql("SELECT client_id, token_endpoint_auth_method, registered_openly FROM client_registration_tokens "
                        + "WHERE client_id = :clientId AND token_hash IN (:hashes)")
                .param("clientId", clientId).param("hashes", candidates)
                .query((rs, row) -> new Registered(rs.getString("client_id"), rs.getString("token_endpoint_auth_method"),
                        rs.getBoolean("registered_openly")))
                .optional();
    }

    /** The token's row goes with the client (foreign key); this makes sure even before the client is deleted. */
    void revoke(String clientId) {
        jdbc.sql("DELETE FROM client_registration_tokens WHERE client_id = :clientId").param("clientId", clientId)
                .update();
    }
}
