package io.latchkey.tokens;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.SecondInstance;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stateless client-credentials tokens are never written, yet revoking one ends it everywhere: introspection,
 * userinfo and the API refuse it, on every instance within the poll interval, and its deny-list entry goes
 * once the token has expired.
 */
@IntegrationTest
class StatelessRevocationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AuthorizationPurge purge;

    private final Browser browser = new Browser();

    @Test
    void revokedTokenIsInactiveAtIntrospectionUserinfoAndTheApi() {
        int storedBefore = count("authorizations") + count("revoked_access_tokens");
        String token = issue();
        assertThat(count("authorizations") + count("revoked_access_tokens")).as("issuing writes nothing")
                .isEqualTo(storedBefore);
        assertThat(introspect(browser, token)).isTrue();
        assertThat(bearerChallenge("/api/v1/users/me", token)).doesNotContain("revoked");

        Browser.Response revoked = OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("token", token));
        assertThat(revoked.status()).isEqualTo(200);

        assertThat(introspect(browser, token)).isFalse();
        Browser.Response userinfo = browser.get("/userinfo", "Authorization", "Bearer " + token);
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(OAuth.json(userinfo).get("error").asString()).isEqualTo("invalid_token");
        Browser.Response api = browser.get("/api/v1/users/me", "Authorization", "Bearer " + token);
        assertThat(api.status()).isEqualTo(401);
        // a client-credentials token is never meant for the API (no user, not its audience): the API refuses it
        // before it looks the token up, so introspection above is what shows the deny list at work
        assertThat(api.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM revoked_access_tokens", Integer.class)).isPositive();

        assertThat(OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("token", token)).status()).as("revoking again is harmless").isEqualTo(200);
    }

    @Test
    void onlyTheClientTheTokenWasIssuedToCanRevokeIt() {
        String token = issue();

        Browser.Response byAnother = OAuth.post(browser, "/oauth2/revoke", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("token", token));

        assertThat(byAnother.status()).as(byAnother.body()).isNotEqualTo(200);
        assertThat(OAuth.json(byAnother).get("error").asString()).isEqualTo("invalid_client");
        assertThat(introspect(browser, token)).isTrue();
    }

    @Test
    void anotherInstanceRefusesTheTokenWithinItsPollInterval() {
        String token = issue();
        try (ConfigurableApplicationContext second = SecondInstance.start(
                Map.of("latchkey.tokens.revocation-poll-interval", "200ms"))) {
            Browser other = new Browser(SecondInstance.baseUrl(second));
            assertThat(introspect(other, token)).isTrue();

            assertThat(OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                    OAuth.form("token", token)).status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !introspect(other, token));
            assertThat(other.get("/userinfo", "Authorization", "Bearer " + token).status()).isEqualTo(401);
        }
    }

    @Test
    void entriesArePurgedOnceTheirTokenHasExpired() {
        String expired = "expired-" + UUID.randomUUID();
        String live = "live-" + UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.update("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?)", expired,
                Timestamp.from(now.minus(Duration.ofDays(2))));
        jdbc.update("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?)", live,
                Timestamp.from(now.plus(Duration.ofMinutes(10))));

        purge.purge();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM revoked_access_tokens WHERE jti = ?", Integer.class, expired))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM revoked_access_tokens WHERE jti = ?", Integer.class, live))
                .isOne();
    }

    private String issue() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "client_credentials", "scope", "openid api.read"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    /** Introspection by the client the token was issued to. */
    private static boolean introspect(Browser at, String token) {
        Browser.Response response = OAuth.post(at, "/oauth2/introspect", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("token", token));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("active").asBoolean();
    }

    private String bearerChallenge(String path, String token) {
        Browser.Response response = browser.get(path, "Authorization", "Bearer " + token);
        assertThat(response.status()).as("a client-credentials token has no user").isEqualTo(401);
        return response.header("WWW-Authenticate");
    }

    private int count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }
}
