package io.latchkey.oauth.dpop;

import java.lang.reflect.Constructor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.latchkey.keys.MasterKey;
import io.latchkey.keys.TokenHasher;
import io.latchkey.support.TestServerInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay table on H2 in PostgreSQL mode, as evaluation mode runs it (migration V230 included), and the
 * time-window nonces, without a server: a second instance computes the same nonce from the same master key.
 */
class UsedProofsAndNoncesTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void aProofIsRecordedOnceAndExpiredRowsArePurged() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:dpop-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        try {
            UsedProofs used = new UsedProofs(JdbcClient.create(dataSource), Clock.fixed(NOW, ZoneOffset.UTC));
            String key = ProofChecks.replayKey("thumbprint", "jti-1");
            assertThat(used.firstUse(key, NOW.plusSeconds(60))).isTrue();
            assertThat(used.firstUse(key, NOW.plusSeconds(60))).isFalse();
            assertThat(used.firstUse(ProofChecks.replayKey("other-key", "jti-1"), NOW.minusSeconds(1))).isTrue();
            assertThat(used.purgeExpired()).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dpop_used_proofs", Integer.class)).isEqualTo(1);
        }
        finally {
            jdbc.execute("SHUTDOWN");
        }
    }

    @Test
    void noncesHoldForTheCurrentAndThePreviousWindowOnEveryInstance() throws ReflectiveOperationException {
        Duration window = Duration.ofMinutes(5);
        TokenHasher hasher = hasher();
        String nonce = new ServerNonces(hasher, Clock.fixed(NOW, ZoneOffset.UTC), window).current();
        ServerNonces otherInstance = new ServerNonces(hasher(), Clock.fixed(NOW, ZoneOffset.UTC), window);
        assertThat(otherInstance.current()).isEqualTo(nonce);
        assertThat(otherInstance.accepts(nonce)).isTrue();
        assertThat(new ServerNonces(hasher, Clock.fixed(NOW.plus(window), ZoneOffset.UTC), window).accepts(nonce))
                .isTrue();
        assertThat(new ServerNonces(hasher, Clock.fixed(NOW.plus(window.multipliedBy(2)), ZoneOffset.UTC), window)
                .accepts(nonce)).isFalse();
        assertThat(otherInstance.accepts(null)).isFalse();
        assertThat(otherInstance.accepts("")).isFalse();
        assertThat(otherInstance.accepts(nonce + "x")).isFalse();
        assertThat(otherInstance.accepts("n".repeat(10_000))).isFalse();
    }

    private static TokenHasher hasher() throws ReflectiveOperationException {
        Constructor<TokenHasher> constructor = TokenHasher.class.getDeclaredConstructor(MasterKey.class);
        constructor.setAccessible(true);
        return constructor.newInstance(MasterKey.fromSettings(TestServerInitializer.MASTER_KEY, null));
    }
}
