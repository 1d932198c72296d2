package io.latchkey.jobs;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of {@code job_leases}. Each call is a statement or two in autocommit, on the database's clock. */
@Repository
class JobLeases {

    private final JdbcClient jdbc;

    JobLeases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the job's lease for {@code duration} if it is free (never taken, or run out) or already the holder's;
     * false when another holder has it. Of two holders asking at once, one gets it.
     */
    boolean tryAcquire(String job, String holder, Duration duration) {
        Instant now = jdbc.sql("SELECT CURRENT_TIMESTAMP").query(Timestamp.class).single().toInstant();
        Timestamp until = Timestamp.from(now.plus(duration));
        int taken = jdbc.sql("UPDATE job_leases SET holder = :holder, acquired_at = :now, leased_until = :until "
                        + "WHERE job_name = :job AND (leased_until <= :now OR holder = :holder)")
                .param("holder", holder)
                .param("now", Timestamp.from(now))
                .param("until", until)
                .param("job", job)
                .update();
        if (taken == 1) {
            return true;
        }
        try {
            return jdbc.sql("INSERT INTO job_leases (job_name, holder, acquired_at, leased_until) "
                            + "VALUES (:job, :holder, :now, :until)")
                    .param("job", job)
                    .param("holder", holder)
                    .param("now", Timestamp.from(now))
                    .param("until", until)
                    .update() == 1;
        }
        catch (DuplicateKeyException heldByAnother) {
            return false;
        }
    }

    /** Gives the lease back at once, if the holder still has it. */
    void release(String job, String holder) {
        jdbc.sql("UPDATE job_leases SET leased_until = acquired_at WHERE job_name = :job AND holder = :holder")
                .param("job", job)
                .param("holder", holder)
                .update();
    }

    /** Who holds the job's lease and until when, for operators and tests; null when it was never taken. */
    Lease current(String job) {
        return jdbc.sql("SELECT holder, leased_until FROM job_leases WHERE job_name = :job")
                .param("job", job)
                .query((rs, row) -> new Lease(rs.getString("holder"), rs.getTimestamp("leased_until").toInstant()))
                .optional().orElse(null);
    }

    record Lease(String holder, Instant until) {
    }
}
