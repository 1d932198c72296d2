package io.latchkey.oauth.dpop;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The proofs already used, in the database, so that a proof is used once across all instances (RFC 9449
 * section 11.1). A row lives until its proof is too old to pass the {@code iat} check; each instance deletes the
 * expired rows every {@value #PURGE_EVERY} inserts, so the table stays about as large as the proofs of one
 * max-age period. The oauth module does not schedule jobs, and a purge this small does not need one.
 */
class UsedProofs {

    static final int PURGE_EVERY = 500;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AtomicLong inserts = new AtomicLong();

    UsedProofs(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records the proof as used; false when it was used before (a replay). {@code proofHash} is 64 hex digits. */
    boolean firstUse(String proofHash, Instant keepUntil) {
        if (inserts.incrementAndGet() % PURGE_EVERY == 0) {
            purgeExpired();
        }
        int inserted = jdbc.sql("INSERT INTO dpop_used_proofs (proof_hash, expires_at) VALUES (:hash, :until) "
                        + "ON CONFLICT DO NOTHING")
                .param("hash", proofHash)
                .param("until", Timestamp.from(keepUntil))
                .update();
        return inserted == 1;
    }

    int purgeExpired() {
        return jdbc.sql("DELETE FROM dpop_used_proofs WHERE expires_at < :now")
                .param("now", Timestamp.from(clock.instant()))
                .update();
    }
}
