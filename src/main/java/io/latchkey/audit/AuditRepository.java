package io.latchkey.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> DETAILS = new TypeReference<>() {
    };

    private static final String COLUMNS = "id, occurred_at, type, user_id, subject, client_ip, user_agent, details";
    /** Rows fetched at a time while an export streams (PostgreSQL keeps a cursor inside a transaction). */
    private static final int EXPORT_FETCH_SIZE = 500;

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    AuditRepository(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Events matching the query, newest first: {@code limit} of them after skipping {@code offset}. */
    List<RecordedAuditEvent> find(AuditQuery query, long offset, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String sql = "SELECT " + COLUMNS + " FROM audit_events" + where(query, params)
                + " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset";
        params.addValue("limit", limit).addValue("offset", offset);
        return new NamedParameterJdbcTemplate(dataSource).query(sql, params, this::map);
    }

    /** Streams the events matching the query, newest first, at most {@code maxRows}; must run in a transaction. */
    void stream(AuditQuery query, int maxRows, Consumer<RecordedAuditEvent> each) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String sql = "SELECT " + COLUMNS + " FROM audit_events" + where(query, params)
                + " ORDER BY occurred_at DESC, id DESC";
        JdbcTemplate streaming = new JdbcTemplate(dataSource);
        streaming.setFetchSize(EXPORT_FETCH_SIZE);
        streaming.setMaxRows(maxRows);
        int[] row = { 0 };
        new NamedParameterJdbcTemplate(streaming).query(sql, params, rs -> {
            each.accept(map(rs, row[0]++));
        });
    }

    /** How many events of each of the types began in each hour (seconds since the epoch / 3600) since then. */
    List<HourlyTypeCount> countByHour(Collection<AuditEventType> types, Instant since) {
        String hour = "FLOOR(EXTRACT(EPOCH FROM occurred_at) / 3600)";
        return jdbc.sql("SELECT " + hour + " AS hour_number, type, COUNT(*) AS n FROM audit_events "
                        + "WHERE occurred_at >= :since AND type IN (:types) GROUP BY " + hour + ", type")
                .param("since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
                .param("types", types.stream().map(Enum::name).toList())
                .query((rs, row) -> new HourlyTypeCount(rs.getLong("hour_number"), rs.getString("type"), rs.getLong("n")))
                .list();
    }

    /** Deletes at most {@code batch} events from before the cutoff; how many went. */
    int deleteOlderThan(Instant cutoff, int batch) {
        return jdbc.sql("DELETE FROM audit_events WHERE id IN "
                        + "(SELECT id FROM audit_events WHERE occurred_at < :cutoff LIMIT :batch)")
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                .param("batch", batch)
                .update();
    }

    /**
     * The WHERE clause of the query, with its parameters added. The user and client are also looked for in the
     * details' JSON text ({@code "actor":"<id>"}, {@code "client":"<id>"}), with LIKE's wildcards escaped.
     */
    private static String where(AuditQuery query, MapSqlParameterSource params) {
        List<String> conditions = new ArrayList<>();
        if (query.user() != null) {
            conditions.add("(user_id = :user OR details LIKE :actorDetail ESCAPE '!')");
            params.addValue("user", query.user());
            params.addValue("actorDetail", detailPattern("actor", query.user().toString()));
        }
        if (query.client() != null) {
            conditions.add("(subject IN (:clientSubject, :client) OR details LIKE :clientDetail ESCAPE '!')");
            params.addValue("clientSubject", "client:" + query.client());
            params.addValue("client", query.client());
            params.addValue("clientDetail", detailPattern("client", query.client()));
        }
        if (!query.types().isEmpty()) {
            conditions.add("type IN (:types)");
            params.addValue("types", query.types().stream().map(Enum::name).sorted().toList());
        }
        if (query.from() != null) {
            conditions.add("occurred_at >= :from");
            params.addValue("from", OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            conditions.add("occurred_at < :to");
            params.addValue("to", OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** {@code %"key":"value"%} as the details' JSON spells it, LIKE's {@code % _ !} escaped with {@code !}. */
    private static String detailPattern(String key, String value) {
        String json = JSON.writeValueAsString(key) + ":" + JSON.writeValueAsString(value);
        return "%" + json.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    record HourlyTypeCount(long hour, String type, long count) {
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
