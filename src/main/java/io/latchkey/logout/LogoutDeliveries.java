package io.latchkey.logout;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The outbox of logout tokens to deliver ({@code backchannel_logout_deliveries}). Every outcome update names
 * the attempt it is about, so that an instance whose claim was taken over (it was too slow, or presumed dead)
 * cannot overwrite what the newer attempt recorded.
 */
@Repository
class LogoutDeliveries {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    private final JdbcClient jdbc;

    LogoutDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID enqueue(String clientId, String subject, String sid, Instant now) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO backchannel_logout_deliveries (id, client_id, subject, sid, status, attempts, "
                        + "next_attempt_at, created_at) VALUES (:id, :clientId, :subject, :sid, :status, 0, :now, :now)")
                .param("id", id).param("clientId", clientId).param("subject", subject).param("sid", sid)
                .param("status", PENDING).param("now", Timestamp.from(now)).update();
        return id;
    }

    /**
     * Due deliveries, locked so that no other instance claims them at the same time (rows another instance
     * holds are skipped, not waited for). Call within a transaction, then {@link #claim} them.
     */
    List<Delivery> lockDue(Instant now, int limit) {
        return jdbc.sql("SELECT id, client_id, subject, sid, attempts FROM backchannel_logout_deliveries "
                        + "WHERE status = :status AND next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :limit "
                        + "FOR UPDATE SKIP LOCKED")
                .param("status", PENDING).param("now", Timestamp.from(now)).param("limit", limit)
                .query((rs, row) -> new Delivery(rs.getObject("id", UUID.class), rs.getString("client_id"),
                        rs.getString("subject"), rs.getString("sid"), rs.getInt("attempts") + 1))
                .list();
    }

    /** Counts the attempt and leases the row to this instance until {@code leaseUntil}. */
    void claim(Delivery delivery, Instant now, Instant leaseUntil) {
        jdbc.sql("UPDATE backchannel_logout_deliveries SET attempts = :attempt, last_attempt_at = :now, "
                        + "next_attempt_at = :leaseUntil WHERE id = :id")
                .param("attempt", delivery.attempt()).param("now", Timestamp.from(now))
                .param("leaseUntil", Timestamp.from(leaseUntil)).param("id", delivery.id()).update();
    }

    boolean delivered(Delivery delivery, int httpStatus, Instant now) {
        return jdbc.sql("UPDATE backchannel_logout_deliveries SET status = :delivered, last_http_status = :httpStatus, "
                        + "last_error = NULL, delivered_at = :now WHERE id = :id AND attempts = :attempt AND status = :pending")
                .param("delivered", DELIVERED).param("httpStatus", httpStatus).param("now", Timestamp.from(now))
                .param("id", delivery.id()).param("attempt", delivery.attempt()).param("pending", PENDING)
                .update() == 1;
    }

    /** Records a failed attempt that is tried again at {@code nextAttemptAt}. */
    boolean retryAt(Delivery delivery, Integer httpStatus, String error, Instant nextAttemptAt) {
        return jdbc.sql("UPDATE backchannel_logout_deliveries SET last_http_status = :httpStatus, last_error = :error, "
                        + "next_attempt_at = :next WHERE id = :id AND attempts = :attempt AND status = :pending")
                .param("httpStatus", httpStatus, Types.INTEGER).param("error", shortened(error))
                .param("next", Timestamp.from(nextAttemptAt))
                .param("id", delivery.id()).param("attempt", delivery.attempt()).param("pending", PENDING)
                .update() == 1;
    }

    /** Records a failed attempt after which the delivery is given up. */
    boolean gaveUp(Delivery delivery, Integer httpStatus, String error) {
        return jdbc.sql("UPDATE backchannel_logout_deliveries SET status = :failed, last_http_status = :httpStatus, "
                        + "last_error = :error WHERE id = :id AND attempts = :attempt AND status = :pending")
                .param("failed", FAILED).param("httpStatus", httpStatus, Types.INTEGER).param("error", shortened(error))
                .param("id", delivery.id()).param("attempt", delivery.attempt()).param("pending", PENDING)
                .update() == 1;
    }

    /** Deletes up to {@code batchSize} finished deliveries created before {@code cutoff}. */
    int purgeFinishedBefore(Instant cutoff, int batchSize) {
        return jdbc.sql("DELETE FROM backchannel_logout_deliveries WHERE id IN (SELECT id FROM "
                        + "backchannel_logout_deliveries WHERE status <> :pending AND created_at < :cutoff "
                        + "ORDER BY created_at LIMIT :batch)")
                .param("pending", PENDING).param("cutoff", Timestamp.from(cutoff)).param("batch", batchSize).update();
    }

    private static String shortened(String error) {
        return error == null || error.length() <= 200 ? error : error.substring(0, 200);
    }

    /**
     * One logout token to deliver, as claimed for its {@code attempt}-th attempt.
     *
     * @param sid the session's {@code sid} (never the session id)
     */
    record Delivery(UUID id, String clientId, String subject, String sid, int attempt) {
    }
}
