package io.latchkey.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The token counts' upsert and purge on H2 in PostgreSQL mode, as evaluation mode runs them. */
class TokenActivityH2Test {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private JdbcTemplate jdbc;
    private TokenActivity activity;

    @BeforeEach
    void migrate() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:tokens-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        activity = new TokenActivity(new TokenActivityRepository(JdbcClient.create(dataSource)), null,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void shutdown() {
        jdbc.execute("SHUTDOWN");
    }

    @Test
    void countsAreAddedToTheHoursRowAndOldRowsPurged() {
        activity.issued("app", "client_credentials");
        activity.issued("app", "client_credentials");
        activity.refused(null, "invalid_client");
        activity.refused("x".repeat(500), "invalid_client");
        assertThat(activity.flush()).isEqualTo(2);
        activity.issued("app", "client_credentials");
        assertThat(activity.flush()).isEqualTo(1);
        assertThat(activity.flush()).as("nothing counted since").isZero();

        assertThat(activity.since(NOW)).containsExactly(
                new TokenActivity.Count(Instant.parse("2026-01-02T03:00:00Z"), "app", "issued", "client_credentials", 3),
                new TokenActivity.Count(Instant.parse("2026-01-02T03:00:00Z"), "unknown", "refused", "invalid_client",
                        2));

        jdbc.update("INSERT INTO token_activity (hour_start, client_id, outcome, detail, total) VALUES (?, 'old', "
                + "'issued', 'client_credentials', 5)", java.time.OffsetDateTime.ofInstant(NOW.minus(Duration.ofDays(9)),
                ZoneOffset.UTC));
        assertThat(activity.purge()).isEqualTo(1);
        assertThat(activity.since(NOW.minus(Duration.ofDays(30)))).hasSize(2);
    }
}
