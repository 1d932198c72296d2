package io.latchkey.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> DETAILS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(RecordedAuditEvent event) {
        jdbc.sql("INSERT INTO audit_events (id, occurred_at, type, user_id, subject, client_ip, user_agent, details) "
                        + "VALUES (:id, :occurredAt, :type, :userId, :subject, :clientIp, :userAgent, :details)")
                .param("id", event.id())
                .param("occurredAt", OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC))
                .param("type", event.type().name())
                .param("userId", event.userId())
                .param("subject", event.subject())
                .param("clientIp", event.clientIp())
                .param("userAgent", event.userAgent())
                .param("details", event.details().isEmpty() ? null : JSON.writeValueAsString(event.details()))
                .update();
    }

    List<RecordedAuditEvent> recent(UUID userId, int limit) {
        return jdbc.sql("SELECT id, occurred_at, type, user_id, subject, client_ip, user_agent, details "
                        + "FROM audit_events WHERE user_id = :userId ORDER BY occurred_at DESC, id DESC LIMIT :limit")
                .param("userId", userId)
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    private RecordedAuditEvent map(ResultSet rs, int row) throws SQLException {
        String details = rs.getString("details");
        Map<String, String> parsed = details == null ? Map.of() : JSON.readValue(details, DETAILS);
        AuditEventType type;
        try {
            type = AuditEventType.valueOf(rs.getString("type"));
        }
        catch (IllegalArgumentException unknown) {
            type = null; // written by a newer version of Latchkey
        }
        return new RecordedAuditEvent(rs.getObject("id", UUID.class), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), type,
                rs.getObject("user_id", UUID.class), rs.getString("subject"), rs.getString("client_ip"),
                rs.getString("user_agent"), Collections.unmodifiableMap(parsed));
    }
}
