package io.latchkey.jobs;

import java.time.Duration;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The leases on H2 in PostgreSQL mode, as evaluation mode runs them. */
class JobLeasesOnH2Test {

    @Test
    void oneHolderAtATimeAndAnExpiredLeaseIsTakenOver() throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:leases-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JobLeases leases = new JobLeases(JdbcClient.create(dataSource));

        assertThat(leases.tryAcquire("purge", "a", Duration.ofMillis(500))).isTrue();
        assertThat(leases.tryAcquire("purge", "b", Duration.ofMillis(500))).isFalse();
        assertThat(leases.tryAcquire("purge", "a", Duration.ofMillis(500))).as("the holder renews").isTrue();
        assertThat(leases.tryAcquire("rotation", "b", Duration.ofMillis(500))).as("another job").isTrue();

        Thread.sleep(700);

        assertThat(leases.tryAcquire("purge", "b", Duration.ofMinutes(1))).as("a's lease ran out").isTrue();
        assertThat(leases.current("purge").holder()).isEqualTo("b");
        assertThat(leases.tryAcquire("purge", "a", Duration.ofMinutes(1))).isFalse();
    }
}
