package io.latchkey.tokens;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of {@code token_activity}. */
@Repository
class TokenActivityRepository {

    private final JdbcClient jdbc;

    TokenActivityRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds {@code n} to the row's total, creating the row if there is none. An update first, then an insert; of two
     * instances inserting the same new row at once one gets a duplicate key and updates instead. (Portable where
     * {@code ON CONFLICT DO UPDATE} is not: H2.)
     */
    void add(Instant hour, String client, String outcome, String detail, long n) {
        if (increment(hour, client, outcome, detail, n) == 1) {
            return;
        }
        try {
            jdbc.sql("INSERT INTO token_activity (hour_start, client_id, outcome, detail, total) "
                            + "VALUES (:hour, :client, :outcome, :detail, :n)")
                    .param("hour", utc(hour))
                    .param("client", client)
                    .param("outcome", outcome)
                    .param("detail", detail)
                    .param("n", n)
                    .update();
        }
        catch (DuplicateKeyException insertedMeanwhile) {
            increment(hour, client, outcome, detail, n);
        }
    }

    private int increment(Instant hour, String client, String outcome, String detail, long n) {
        return jdbc.sql("UPDATE token_activity SET total = total + :n WHERE hour_start = :hour AND client_id = :client "
                        + "AND outcome = :outcome AND detail = :detail")
                .param("n", n)
                .param("hour", utc(hour))
                .param("client", client)
                .param("outcome", outcome)
                .param("detail", detail)
                .update();
    }

    List<TokenActivity.Count> since(Instant hour) {
        return jdbc.sql("SELECT hour_start, client_id, outcome, detail, total FROM token_activity "
                        + "WHERE hour_start >= :hour ORDER BY hour_start, client_id, outcome, detail")
                .param("hour", utc(hour))
                .query((rs, row) -> new TokenActivity.Count(rs.getObject("hour_start", OffsetDateTime.class).toInstant(),
                        rs.getString("client_id"), rs.getString("outcome"), rs.getString("detail"), rs.getLong("total")))
                .list();
    }

    int deleteBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM token_activity WHERE hour_start < :cutoff").param("cutoff", utc(cutoff)).update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
