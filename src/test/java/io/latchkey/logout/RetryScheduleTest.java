package io.latchkey.logout;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exponential back-off with a cap, and an end; settings out of range stop the start, each named. */
class RetryScheduleTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void theWaitDoublesUpToTheCapAndEndsAfterTheLastAttempt() {
        RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(10), Duration.ofMinutes(1), 6);

        assertThat(schedule.after(1, NOW)).contains(NOW.plusSeconds(10));
        assertThat(schedule.after(2, NOW)).contains(NOW.plusSeconds(20));
        assertThat(schedule.after(3, NOW)).contains(NOW.plusSeconds(40));
        assertThat(schedule.after(4, NOW)).contains(NOW.plusSeconds(60));
        assertThat(schedule.after(5, NOW)).contains(NOW.plusSeconds(60));
        assertThat(schedule.after(6, NOW)).isEmpty();
        assertThat(new RetrySchedule(Duration.ofSeconds(1), Duration.ofDays(1), 50).backoff(49)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void defaultsAreSane() {
        BackChannelLogoutProperties defaults = new BackChannelLogoutProperties(null, null, null, null, null, null, null,
                null, null, null, null);
        assertThat(defaults.tokenLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(defaults.maxAttempts()).isEqualTo(8);
        assertThat(defaults.lease()).isGreaterThan(defaults.connectTimeout().plus(defaults.readTimeout()));
    }

    @Test
    void wrongSettingsAreRefusedEachNamed() {
        assertThatThrownBy(() -> new BackChannelLogoutProperties(Duration.ofHours(1), null, Duration.ZERO, 0,
                Duration.ofMinutes(5), Duration.ofMinutes(1), null, 0, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latchkey.backchannel-logout.token-lifetime")
                .hasMessageContaining("latchkey.backchannel-logout.read-timeout")
                .hasMessageContaining("latchkey.backchannel-logout.max-attempts")
                .hasMessageContaining("latchkey.backchannel-logout.max-backoff")
                .hasMessageContaining("latchkey.backchannel-logout.concurrency");
    }
}
