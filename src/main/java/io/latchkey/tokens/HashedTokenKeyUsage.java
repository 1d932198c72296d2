package io.latchkey.tokens;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.latchkey.keys.MasterKey;
import io.latchkey.keys.MasterKeyDependent;

/**
 * The usable tokens hashed under a master key other than the current one: they keep that key needed in
 * {@code latchkey.master-key-previous} until their authorization expires. Nothing can re-hash them.
 */
@Component
class HashedTokenKeyUsage implements MasterKeyDependent {

    private final JdbcClient jdbc;
    private final MasterKey masterKey;
    private final Clock clock;

    HashedTokenKeyUsage(JdbcClient jdbc, MasterKey masterKey, Clock clock) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    @Override
    public List<Remaining> remainingUnderOtherKeys() {
        return jdbc.sql("SELECT t.hash_key_id, COUNT(*) AS tokens, MAX(a.expires_at) AS until FROM authorization_tokens t "
                        + "JOIN authorizations a ON a.id = t.authorization_id WHERE a.expires_at > :now "
                        + "AND t.current_token = TRUE AND t.invalidated = FALSE "
                        + "AND (t.hash_key_id IS NULL OR t.hash_key_id <> :current) GROUP BY t.hash_key_id")
                .param("now", Timestamp.from(clock.instant()))
                .param("current", masterKey.currentId())
                .query((rs, row) -> new Remaining("tokens and authorization codes (hashed)", rs.getString("hash_key_id"),
                        rs.getLong("tokens"), rs.getTimestamp("until").toInstant()))
                .list();
    }
}
