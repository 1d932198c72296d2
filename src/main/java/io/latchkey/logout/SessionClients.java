package io.latchkey.logout;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which clients got ID tokens in which browser session ({@code backchannel_logout_sessions}). */
@Repository
class SessionClients {

    private final JdbcClient jdbc;

    SessionClients(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Remembers that the client got an ID token in the session; one statement when it did before. */
    void record(String sid, String clientId, String subject, Instant now) {
        int updated = jdbc.sql("UPDATE backchannel_logout_sessions SET last_issued_at = :now "
                        + "WHERE sid = :sid AND client_id = :clientId")
                .param("now", Timestamp.from(now)).param("sid", sid).param("clientId", clientId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO backchannel_logout_sessions (sid, client_id, subject, last_issued_at) "
                            + "VALUES (:sid, :clientId, :subject, :now) ON CONFLICT DO NOTHING")
                    .param("sid", sid).param("clientId", clientId).param("subject", subject)
                    .param("now", Timestamp.from(now)).update();
        }
    }

    /** The clients that got tokens for this user in the session, in client id order. */
    List<String> clientsOf(String sid, String subject) {
        return jdbc.sql("SELECT client_id FROM backchannel_logout_sessions WHERE sid = :sid AND subject = :subject "
                        + "ORDER BY client_id")
                .param("sid", sid).param("subject", subject).query(String.class).list();
    }

    void forget(String sid) {
        jdbc.sql("DELETE FROM backchannel_logout_sessions WHERE sid = :sid").param("sid", sid).update();
    }

    /** Deletes up to {@code batchSize} sessions in which nothing was issued since {@code cutoff}. */
    int purgeIdleBefore(Instant cutoff, int batchSize) {
        return jdbc.sql("DELETE FROM backchannel_logout_sessions WHERE last_issued_at < :cutoff AND sid IN "
                        + "(SELECT sid FROM backchannel_logout_sessions WHERE last_issued_at < :cutoff "
                        + "ORDER BY last_issued_at LIMIT :batch)")
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batchSize).update();
    }
}
