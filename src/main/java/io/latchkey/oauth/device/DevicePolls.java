package io.latchkey.oauth.device;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of {@link PollingPace}: one row per polled device code, keyed by the code's hash. */
@Repository
class DevicePolls {

    private final JdbcClient jdbc;

    DevicePolls(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Poll> find(String codeHash) {
        return jdbc.sql("SELECT last_poll_at, interval_seconds FROM device_code_polls WHERE code_hash = :hash")
                .param("hash", codeHash)
                .query((rs, row) -> new Poll(rs.getTimestamp("last_poll_at").toInstant(), rs.getInt("interval_seconds")))
                .optional();
    }

    /** The first poll of a code; false when another request recorded it first. */
    boolean first(String codeHash, Instant now, int intervalSeconds, Instant expiresAt) {
        try {
            jdbc.sql("INSERT INTO device_code_polls (code_hash, last_poll_at, interval_seconds, expires_at) "
                            + "VALUES (:hash, :now, :interval, :expires)")
                    .param("hash", codeHash)
                    .param("now", Timestamp.from(now))
                    .param("interval", intervalSeconds)
                    .param("expires", Timestamp.from(expiresAt))
                    .update();
            return true;
        }
        catch (DuplicateKeyException concurrent) {
            return false;
        }
    }

    /**
     * Records a poll made at {@code now} with the interval from then on; false when another request recorded one
     * since {@code previous} was read (two polls at once: the later one is too soon).
     */
    boolean next(String codeHash, Instant previous, Instant now, int intervalSeconds) {
        return jdbc.sql("UPDATE device_code_polls SET last_poll_at = :now, interval_seconds = :interval "
                        + "WHERE code_hash = :hash AND last_poll_at = :previous")
                .param("now", Timestamp.from(now))
                .param("interval", intervalSeconds)
                .param("hash", codeHash)
                .param("previous", Timestamp.from(previous))
                .update() == 1;
    }

    int deleteExpiredBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM device_code_polls WHERE expires_at < :cutoff")
                .param("cutoff", Timestamp.from(cutoff)).update();
    }

    record Poll(Instant lastPollAt, int intervalSeconds) {
    }
}
