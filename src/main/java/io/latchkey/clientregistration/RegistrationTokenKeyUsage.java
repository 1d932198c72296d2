package io.latchkey.clientregistration;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.latchkey.keys.MasterKey;
import io.latchkey.keys.MasterKeyDependent;

/**
 * Registration access tokens hashed under a master key other than the current one. They do not expire: each keeps
 * that key needed in {@code latchkey.master-key-previous} until its client updates its registration (which issues a
 * new token under the current key); dropping the key ends them, and their clients then need an admin.
 */
@Component
class RegistrationTokenKeyUsage implements MasterKeyDependent {

    private final JdbcClient jdbc;
    private final MasterKey masterKey;

    RegistrationTokenKeyUsage(JdbcClient jdbc, MasterKey masterKey) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
    }

    @Override
    public List<Remaining> remainingUnderOtherKeys() {
        return jdbc.sql("SELECT hash_key_id, COUNT(*) AS tokens FROM client_registration_tokens "
                        + "WHERE hash_key_id IS NULL OR hash_key_id <> :current GROUP BY hash_key_id")
                .param("current", masterKey.currentId())
                .query((rs, row) -> new Remaining("registration access tokens (hashed)", rs.getString("hash_key_id"),
                        rs.getLong("tokens"), null))
                .list();
    }
}
