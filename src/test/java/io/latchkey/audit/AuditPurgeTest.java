package io.latchkey.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retention purge: events older than latchkey.audit.retention go, in batches; younger ones stay. */
@IntegrationTest
class AuditPurgeTest {

    @Autowired
    AuditPurge purge;

    @Autowired
    AuditProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eventsOlderThanTheRetentionAreDeletedInBatchesAndYoungerOnesStay() {
        assertThat(properties.retention()).isEqualTo(Duration.ofDays(400));
        Instant now = Instant.now();
        String subject = "purge-test-" + UUID.randomUUID();
        int old = AuditPurge.BATCH_SIZE + 7; // more than one batch
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < old; i++) {
            rows.add(row(now.minus(Duration.ofDays(401 + i % 30)), subject + "-old"));
        }
        rows.add(row(now.minus(Duration.ofDays(399)), subject + "-young"));
        rows.add(row(now.minus(Duration.ofDays(1)), subject + "-young"));
        rows.add(row(now, subject + "-young"));
        jdbc.batchUpdate("INSERT INTO audit_events (id, occurred_at, type, subject) VALUES (?, ?, 'LOGIN_FAILED', ?)",
                rows);

        int deleted = purge.purge();

        assertThat(deleted).isGreaterThanOrEqualTo(old);
        assertThat(count(subject + "-old")).isZero();
        assertThat(count(subject + "-young")).isEqualTo(3);
        assertThat(purge.purge()).as("nothing left to delete").isZero();
    }

    @Test
    void theRetentionMustBePositive() {
        assertThatThrownBy(() -> new AuditProperties(Duration.ZERO, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latchkey.audit.retention");
        assertThatThrownBy(() -> new AuditProperties(Duration.ofDays(-1), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new AuditProperties(null, null, null).retention()).isEqualTo(Duration.ofDays(400));
    }

    private Integer count(String subject) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE subject = ?", Integer.class, subject);
    }

    private static Object[] row(Instant at, String subject) {
        return new Object[] { UUID.randomUUID(), OffsetDateTime.ofInstant(at, ZoneOffset.UTC), subject };
    }
}
