package io.latchkey.oauth.clientauth;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.latchkey.keys.TokenHasher;

/**
 * The client assertions already accepted, shared by every instance through the database (RFC 7523 section 3 item 7:
 * a {@code jti} is used once). Rows are keyed hashes of client id and {@code jti}, never the values, and live until
 * the assertion expires; each instance deletes expired rows at most once per purge interval, as it records a new one
 * (deleting twice is harmless, so no cluster lease is needed).
 */
@Repository
class UsedClientAssertions {

    private final JdbcClient jdbc;
    private final TokenHasher hasher;
    private final Clock clock;
    private final ClientAssertionProperties properties;
    private final AtomicReference<Instant> nextPurge = new AtomicReference<>(Instant.MIN);

    UsedClientAssertions(JdbcClient jdbc, TokenHasher hasher, Clock clock, ClientAssertionProperties properties) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.clock = clock;
        this.properties = properties;
    }

    /** Records the assertion as used; false when it was used before (a replay). */
    boolean useOnce(String clientId, String jti, Instant expiresAt) {
        // hashed before the statement: no connection is held while hashing
        String hash = hasher.hash("client-assertion\n" + clientId + "\n" + jti);
        String keyId = hasher.currentKeyId();
        purgeIfDue();
        try {
            jdbc.sql("INSERT INTO used_client_assertions (assertion_hash, key_id, expires_at) VALUES (:hash, :key, :expires)")
                    .param("hash", hash).param("key", keyId).param("expires", Timestamp.from(expiresAt))
                    .update();
            return true;
        }
        catch (DuplicateKeyException replay) {
            return false;
        }
    }

    private void purgeIfDue() {
        Instant now = clock.instant();
        Instant due = nextPurge.get();
        if (now.isBefore(due) || !nextPurge.compareAndSet(due, now.plus(properties.purgeInterval()))) {
            return;
        }
        jdbc.sql("DELETE FROM used_client_assertions WHERE expires_at < :now").param("now", Timestamp.from(now))
                .update();
    }
}
