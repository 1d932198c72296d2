package io.latchkey.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit store on H2 in PostgreSQL mode, as evaluation mode runs it, with every migration applied. */
class AuditLogH2Test {

    private JdbcTemplate jdbc;
    private AuditLog audit;
    private AuditRepository repository;

    @BeforeEach
    void migrate() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:audit-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        // a clock that stands still: the order of events must not depend on the clock moving
        repository = new AuditRepository(JdbcClient.create(dataSource), dataSource);
        audit = new AuditLog(repository,
                Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void shutdown() {
        RequestContextHolder.resetRequestAttributes();
        jdbc.execute("SHUTDOWN");
    }

    @Test
    void recentReturnsTheUsersEventsNewestFirst() {
        UUID user = UUID.randomUUID();
        audit.record(AuditEvent.of(AuditEventType.USER_REGISTERED).user(user));
        audit.record(AuditEvent.of(AuditEventType.EMAIL_VERIFIED).user(user));
        audit.record(AuditEvent.of(AuditEventType.LOGIN_SUCCEEDED).user(UUID.randomUUID()));
        audit.record(AuditEvent.of(AuditEventType.PASSWORD_CHANGED).user(user).detail("via", "settings"));

        List<RecordedAuditEvent> recent = audit.recent(user, 10);
        assertThat(recent).extracting(RecordedAuditEvent::type).containsExactly(AuditEventType.PASSWORD_CHANGED,
                AuditEventType.EMAIL_VERIFIED, AuditEventType.USER_REGISTERED);
        assertThat(recent.get(0).details()).containsExactly(Map.entry("via", "settings"));
        assertThat(recent.get(0).occurredAt()).isAfter(recent.get(1).occurredAt());
        assertThat(recent.get(2).occurredAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(audit.recent(user, 2)).extracting(RecordedAuditEvent::type)
                .containsExactly(AuditEventType.PASSWORD_CHANGED, AuditEventType.EMAIL_VERIFIED);
        assertThat(audit.recent(user, 0)).isEmpty();
        assertThat(audit.recent(UUID.randomUUID(), 5)).isEmpty();
    }

    @Test
    void storesTheRequestsClientAndCleansEverything() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("203.0.113.7");
        request.addHeader("User-Agent", "Agent\u0000\r\n" + "x".repeat(400));
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        UUID user = UUID.randomUUID();

        audit.record(AuditEvent.of(AuditEventType.EMAIL_CHANGED).user(user)
                .subject("new\u0000@example.com\n" + "y".repeat(400)).detail("via\n", "set\u0000tings"));

        RecordedAuditEvent stored = audit.recent(user, 1).get(0);
        assertThat(stored.clientIp()).isEqualTo("203.0.113.7");
        assertThat(stored.userAgent()).hasSize(300).startsWith("Agentxxx");
        assertThat(stored.subject()).hasSize(320).startsWith("new@example.comyyy");
        assertThat(stored.details()).containsExactly(Map.entry("via", "settings"));
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events", String.class))
                .isEqualTo("{\"via\":\"settings\"}");
    }

    @Test
    void outsideARequestThereIsNoClient() {
        UUID user = UUID.randomUUID();
        audit.record(AuditEvent.of(AuditEventType.ACCOUNT_LOCKED).user(user));
        RecordedAuditEvent stored = audit.recent(user, 1).get(0);
        assertThat(stored.clientIp()).isNull();
        assertThat(stored.userAgent()).isNull();
        assertThat(stored.details()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events", String.class)).isNull();
    }

    @Test
    void theAdminQueriesRunOnH2() {
        UUID user = UUID.randomUUID();
        audit.record(AuditEvent.of(AuditEventType.LOGIN_SUCCEEDED).user(user));
        audit.record(AuditEvent.of(AuditEventType.LOGIN_FAILED).subject("x@example.com"));
        audit.record(AuditEvent.of(AuditEventType.ACCOUNT_DISABLED).subject("user:" + UUID.randomUUID())
                .actor(user.toString()));
        audit.record(AuditEvent.of(AuditEventType.ACCESS_DENIED).detail("client", "app_1"));
        audit.record(AuditEvent.of(AuditEventType.CLIENT_DISABLED).subject("client:app_1"));
        audit.record(AuditEvent.of(AuditEventType.CLIENT_DISABLED).subject("client:appX1"));

        assertThat(repository.find(new AuditQuery(user, null, java.util.Set.of(), null, null), 0, 10))
                .extracting(RecordedAuditEvent::type)
                .containsExactly(AuditEventType.ACCOUNT_DISABLED, AuditEventType.LOGIN_SUCCEEDED);
        assertThat(repository.find(new AuditQuery(null, "app_1", java.util.Set.of(), null, null), 0, 10))
                .extracting(RecordedAuditEvent::type)
                .containsExactly(AuditEventType.CLIENT_DISABLED, AuditEventType.ACCESS_DENIED);
        assertThat(repository.find(new AuditQuery(null, null, java.util.Set.of(AuditEventType.LOGIN_FAILED),
                Instant.parse("2026-01-02T03:00:00Z"), Instant.parse("2026-01-02T04:00:00Z")), 0, 10)).hasSize(1);
        List<RecordedAuditEvent> streamed = new java.util.ArrayList<>();
        repository.stream(AuditQuery.all(), 4, streamed::add);
        assertThat(streamed).hasSize(4);

        assertThat(repository.countByHour(java.util.EnumSet.of(AuditEventType.LOGIN_SUCCEEDED,
                AuditEventType.LOGIN_FAILED), Instant.parse("2026-01-02T00:00:00Z")))
                .containsExactlyInAnyOrder(
                        new AuditRepository.HourlyTypeCount(Instant.parse("2026-01-02T03:00:00Z").getEpochSecond()
                                / 3600, "LOGIN_SUCCEEDED", 1),
                        new AuditRepository.HourlyTypeCount(Instant.parse("2026-01-02T03:00:00Z").getEpochSecond()
                                / 3600, "LOGIN_FAILED", 1));

        assertThat(repository.deleteOlderThan(Instant.parse("2026-01-03T00:00:00Z"), 4)).isEqualTo(4);
        assertThat(repository.deleteOlderThan(Instant.parse("2026-01-02T00:00:00Z"), 4)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events", Integer.class)).isEqualTo(2);
    }
}
