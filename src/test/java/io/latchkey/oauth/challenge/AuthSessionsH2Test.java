package io.latchkey.oauth.challenge;

import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import io.latchkey.account.SignInFactors;
import io.latchkey.keys.MasterKey;
import io.latchkey.keys.TokenHasher;
import io.latchkey.support.TestServerInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/** The auth_session store on H2 in PostgreSQL mode, as evaluation mode runs it (migration V120 included). */
class AuthSessionsH2Test {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private JdbcTemplate jdbc;
    private AuthSessions sessions;
    private UUID userId;

    @BeforeEach
    void migrate() throws ReflectiveOperationException {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:challenge-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        Constructor<TokenHasher> hasher = TokenHasher.class.getDeclaredConstructor(MasterKey.class);
        hasher.setAccessible(true);
        sessions = new AuthSessions(JdbcClient.create(dataSource),
                hasher.newInstance(MasterKey.fromSettings(TestServerInitializer.MASTER_KEY, null)));
        userId = UUID.randomUUID();
        jdbc.update("INSERT INTO users (id, email, email_normalized) VALUES (?, 'h2@example.com', 'h2@example.com')",
                userId);
    }

    @AfterEach
    void shutdown() {
        jdbc.execute("SHUTDOWN");
    }

    @Test
    void aSessionIsFoundByItsValueUntilItExpiresAndEndsOnce() {
        Instant passwordAt = NOW.minusSeconds(2);
        List<GrantedAuthority> authorities = List.of(new SimpleGrantedAuthority("ROLE_user"),
                FactorGrantedAuthority.withAuthority(SignInFactors.PASSWORD).issuedAt(passwordAt).build());
        String value = sessions.start("app", userId, Set.of("openid", "email"), "c".repeat(43),
                UsernamePasswordAuthenticationToken.authenticated(userId.toString(), null, authorities), NOW,
                NOW.plusSeconds(300));

        assertThat(jdbc.queryForObject("SELECT session_hash FROM authorization_challenge_sessions", String.class))
                .isNotEqualTo(value).hasSize(64);
        AuthSessions.Pending found = sessions.find(value, NOW.plusSeconds(10)).orElseThrow();
        assertThat(found.clientId()).isEqualTo("app");
        assertThat(found.userId()).isEqualTo(userId);
        assertThat(found.scopes()).containsExactlyInAnyOrder("openid", "email");
        assertThat(found.authorities()).containsExactly("ROLE_user");
        assertThat(found.passwordAt()).isEqualTo(passwordAt);
        assertThat(sessions.find(value + "x", NOW)).isEmpty();
        assertThat(sessions.find(value, NOW.plusSeconds(301))).isEmpty();

        assertThat(sessions.wrongCode(found, 2)).isFalse();
        assertThat(sessions.find(value, NOW).orElseThrow().failedCodes()).isEqualTo(1);
        assertThat(sessions.end(found)).isTrue();
        assertThat(sessions.end(found)).isFalse();
        assertThat(sessions.find(value, NOW)).isEmpty();
    }

    @Test
    void tooManyWrongCodesEndTheSessionAndExpiredOnesArePurged() {
        String first = sessions.start("app", userId, Set.of(), "c".repeat(43),
                UsernamePasswordAuthenticationToken.authenticated(userId.toString(), null, List.of()), NOW,
                NOW.plusSeconds(60));
        AuthSessions.Pending pending = sessions.find(first, NOW).orElseThrow();
        assertThat(sessions.wrongCode(pending, 2)).isFalse();
        assertThat(sessions.wrongCode(pending, 2)).isTrue();
        assertThat(sessions.find(first, NOW)).isEmpty();

        sessions.start("app", userId, Set.of(), "c".repeat(43),
                UsernamePasswordAuthenticationToken.authenticated(userId.toString(), null, List.of()), NOW,
                NOW.plusSeconds(60));
        // a session started later deletes the expired ones
        sessions.start("app", userId, Set.of(), "c".repeat(43),
                UsernamePasswordAuthenticationToken.authenticated(userId.toString(), null, List.of()),
                NOW.plusSeconds(120), NOW.plusSeconds(180));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorization_challenge_sessions", Integer.class))
                .isEqualTo(1);
    }
}
