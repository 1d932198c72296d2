package io.latchkey.mfa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.keys.MasterKey;
import io.latchkey.keys.MasterKeyDependent;

/**
 * The second factor under master-key rotation: TOTP secrets are re-sealed under the current master key (each only
 * if unchanged since it was read); recovery codes are hashes, usable under a previous master key until the user
 * regenerates them. Runs in the re-seal command's small context too, so it needs nothing but JDBC and the key.
 */
@Component
class TotpSecretReseal implements MasterKeyDependent {

    private static final Logger log = LoggerFactory.getLogger(TotpSecretReseal.class);

    private final JdbcClient jdbc;
    private final MasterKey masterKey;
    private final TransactionTemplate transactions;

    TotpSecretReseal(JdbcClient jdbc, MasterKey masterKey, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
        this.transactions = transactions;
    }

    /** What a sealed TOTP secret is bound to: its user, so that it cannot be moved to another account's row. */
    static String boundTo(UUID userId) {
        return "totp:" + userId;
    }

    @Override
    public int resealUnderCurrentKey() {
        int count = 0;
        for (Sealed row : sealedSecrets()) {
            if (underCurrentKey(row.sealed())) {
                continue;
            }
            String resealed = masterKey.seal(masterKey.open(row.sealed(), boundTo(row.userId())), boundTo(row.userId()));
            Integer updated = transactions.execute(status -> jdbc.sql("UPDATE totp_factors SET secret_sealed = :new "
                            + "WHERE user_id = :user AND secret_sealed = :old")
                    .param("new", resealed).param("user", row.userId()).param("old", row.sealed()).update());
            if (updated != null && updated == 1) {
                count++;
            }
        }
        if (count > 0) {
            log.info("{} TOTP secret(s) re-sealed under master key {}", count, masterKey.currentId());
        }
        return count;
    }

    @Override
    public List<Remaining> remainingUnderOtherKeys() {
        Map<String, Long> secrets = new LinkedHashMap<>();
        for (Sealed row : sealedSecrets()) {
            if (!underCurrentKey(row.sealed())) {
                secrets.merge(MasterKey.sealedUnder(row.sealed()).orElse(null), 1L, Long::sum);
            }
        }
        List<Remaining> remaining = new ArrayList<>();
        secrets.forEach((id, count) -> remaining.add(new Remaining("TOTP secrets (re-seal them)", id, count, null)));
        jdbc.sql("SELECT hash_key_id, COUNT(*) AS n FROM recovery_codes WHERE used_at IS NULL "
                        + "AND (hash_key_id IS NULL OR hash_key_id <> :current) GROUP BY hash_key_id")
                .param("current", masterKey.currentId())
                .query((rs, row) -> new Remaining("recovery codes (until their users regenerate them)",
                        rs.getString("hash_key_id"), rs.getLong("n"), null))
                .list().forEach(remaining::add);
        return remaining;
    }

    private List<Sealed> sealedSecrets() {
        return jdbc.sql("SELECT user_id, secret_sealed FROM totp_factors")
                .query((rs, row) -> new Sealed(rs.getObject("user_id", UUID.class), rs.getString("secret_sealed")))
                .list();
    }

    private boolean underCurrentKey(String sealed) {
        return MasterKey.sealedUnder(sealed).map(masterKey.currentId()::equals).orElse(false);
    }

    private record Sealed(UUID userId, String sealed) {
    }
}
