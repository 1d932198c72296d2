package io.latchkey.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.latchkey.keys.MasterKey;
import io.latchkey.keys.MasterKeyDependent;

/**
 * The unused, unexpired mailed links hashed under a master key other than the current one: they keep that key
 * needed in {@code latchkey.master-key-previous} until they expire. Nothing can re-hash them.
 */
@Component
class AccountLinkKeyUsage implements MasterKeyDependent {

    private final JdbcClient jdbc;
    private final MasterKey masterKey;
    private final Clock clock;

    AccountLinkKeyUsage(JdbcClient jdbc, MasterKey masterKey, Clock clock) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    @Override
    public List<Remaining> remainingUnderOtherKeys() {
        return jdbc.sql("SELECT hash_key_id, COUNT(*) AS links, MAX(expires_at) AS until FROM account_links "
                        + "WHERE used_at IS NULL AND expires_at > :now "
                        + "AND (hash_key_id IS NULL OR hash_key_id <> :current) GROUP BY hash_key_id")
                .param("now", Timestamp.from(clock.instant()))
                .param("current", masterKey.currentId())
                .query((rs, row) -> new Remaining("mailed account links (hashed)", rs.getString("hash_key_id"),
                        rs.getLong("links"), rs.getTimestamp("until").toInstant()))
                .list();
    }
}
