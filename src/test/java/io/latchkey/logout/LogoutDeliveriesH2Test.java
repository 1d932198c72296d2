package io.latchkey.logout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox and the session records on H2 in PostgreSQL mode, as evaluation mode runs them. */
class LogoutDeliveriesH2Test {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private JdbcTemplate jdbc;
    private LogoutDeliveries deliveries;
    private SessionClients sessions;
    private TransactionTemplate transactions;

    @BeforeEach
    void migrate() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:bcl-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        deliveries = new LogoutDeliveries(JdbcClient.create(dataSource));
        sessions = new SessionClients(JdbcClient.create(dataSource));
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @AfterEach
    void shutdown() {
        jdbc.execute("SHUTDOWN");
    }

    @Test
    void aDeliveryIsClaimedRetriedAndDelivered() {
        deliveries.enqueue("app", "user-1", "sid-1", NOW);
        deliveries.enqueue("later", "user-1", "sid-1", NOW.plusSeconds(60));

        List<LogoutDeliveries.Delivery> claimed = claim(NOW, 10);
        assertThat(claimed).singleElement().satisfies(delivery -> {
            assertThat(delivery.clientId()).isEqualTo("app");
            assertThat(delivery.attempt()).isEqualTo(1);
        });
        // leased: not due again until the lease runs out
        assertThat(claim(NOW.plusSeconds(5), 10)).isEmpty();
        assertThat(deliveries.retryAt(claimed.get(0), 500, "HTTP 500", NOW.plusSeconds(10))).isTrue();
        assertThat(claim(NOW.plusSeconds(5), 10)).isEmpty();

        List<LogoutDeliveries.Delivery> again = claim(NOW.plusSeconds(10), 1);
        assertThat(again).singleElement().extracting(LogoutDeliveries.Delivery::attempt).isEqualTo(2);
        // an outcome for an attempt that is no longer the current one changes nothing
        assertThat(deliveries.delivered(claimed.get(0), 200, NOW)).isFalse();
        assertThat(deliveries.delivered(again.get(0), 204, NOW.plusSeconds(11))).isTrue();

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM backchannel_logout_deliveries WHERE client_id = 'app'");
        assertThat(row).containsEntry("status", "delivered").containsEntry("attempts", 2)
                .containsEntry("last_http_status", 204).containsEntry("last_error", null);
    }

    @Test
    void aDeliveryIsGivenUpAndPurgedAfterItsRetention() {
        deliveries.enqueue("app", "user-1", "sid-1", NOW);
        LogoutDeliveries.Delivery delivery = claim(NOW, 10).get(0);
        assertThat(deliveries.gaveUp(delivery, null, "ConnectException")).isTrue();
        assertThat(claim(NOW.plusSeconds(3600), 10)).isEmpty();

        assertThat(deliveries.purgeFinishedBefore(NOW, 10)).isZero();
        assertThat(deliveries.purgeFinishedBefore(NOW.plusSeconds(1), 10)).isOne();
    }

    @Test
    void sessionsRememberTheirClientsUntilForgottenOrIdle() {
        sessions.record("sid-1", "app", "user-1", NOW);
        sessions.record("sid-1", "app", "user-1", NOW.plusSeconds(60));
        sessions.record("sid-1", "other", "user-1", NOW);
        sessions.record("sid-2", "app", "user-1", NOW);

        assertThat(sessions.clientsOf("sid-1", "user-1")).containsExactly("app", "other");
        assertThat(sessions.clientsOf("sid-1", "user-2")).isEmpty();
        sessions.forget("sid-2");
        assertThat(sessions.clientsOf("sid-2", "user-1")).isEmpty();
        assertThat(sessions.purgeIdleBefore(NOW.plusSeconds(30), 10)).isOne();
        assertThat(sessions.clientsOf("sid-1", "user-1")).containsExactly("app");
    }

    private List<LogoutDeliveries.Delivery> claim(Instant now, int limit) {
        return transactions.execute(status -> {
            List<LogoutDeliveries.Delivery> due = deliveries.lockDue(now, limit);
            due.forEach(delivery -> deliveries.claim(delivery, now, now.plusSeconds(37)));
            return due;
        });
    }
}
