package io.latchkey.oauth.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;
import io.latchkey.tokens.TokensProperties;

import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation does not keep a sign-in alive for ever: no refresh token outlives the start of its sign-in plus
 * {@code latchkey.tokens.refresh-family-max-lifetime} (30 days by default), and after that the family gets
 * {@code invalid_grant}. The sign-in's age is set back in the database instead of waiting a month.
 */
@IntegrationTest
class RefreshFamilyLifetimeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "refresh family passphrase";
    private static final Duration FAMILY_MAX_LIFETIME = Duration.ofDays(30);

    @Autowired
    TokensProperties properties;

    private final Browser browser = new Browser();

    @Test
    void rotationNeverExtendsASignInPastItsMaximumLifetime() {
        assertThat(properties.refreshFamilyMaxLifetime()).isEqualTo(FAMILY_MAX_LIFETIME);
        String email = TestUsers.uniqueEmail("family");
        UUID userId = createUser(email, PASSWORD);
        JsonNode tokens = signIn(email);

        // 29 days and 23 hours into the sign-in: a rotation still works, but its token ends with the family
        setSignInStartBack(userId, FAMILY_MAX_LIFETIME.minus(Duration.ofHours(1)));
        JsonNode rotated = refresh(tokens);
        Instant familyEnd = signInStart(userId).plus(FAMILY_MAX_LIFETIME);
        assertThat(expiryOf(rotated.get("refresh_token").asString())).isBetween(familyEnd.minusSeconds(1), familyEnd);

        // past the end: no more tokens, whatever the refresh token's own lifetime says
        setSignInStartBack(userId, FAMILY_MAX_LIFETIME.plus(Duration.ofMinutes(1)));
        Browser.Response expired = refreshResponse(rotated);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(OAuth.json(expired).get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void aYoungSignInKeepsTheClientsRefreshTokenLifetime() {
        String email = TestUsers.uniqueEmail("family-young");
        UUID userId = createUser(email, PASSWORD);
        JsonNode rotated = refresh(signIn(email));

        Instant expiry = expiryOf(rotated.get("refresh_token").asString());
        assertThat(expiry).isBefore(signInStart(userId).plus(FAMILY_MAX_LIFETIME))
                .isAfter(signInStart(userId).plus(Duration.ofDays(13)));
    }

    private JsonNode signIn(String email) {
        String verifier = OAuth.randomVerifier();
        Browser session = new Browser();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "s", verifier), email, PASSWORD);
        Browser.Response response = OAuth.post(session, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private JsonNode refresh(JsonNode tokens) {
        Browser.Response response = refreshResponse(tokens);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private Browser.Response refreshResponse(JsonNode tokens) {
        return OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString()));
    }

    private Instant expiryOf(String refreshToken) {
        JsonNode introspection = OAuth.json(OAuth.post(browser, "/oauth2/introspect", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("token", refreshToken)));
        assertThat(introspection.get("active").asBoolean()).isTrue();
        return Instant.ofEpochSecond(introspection.get("exp").asLong());
    }

    private void setSignInStartBack(UUID userId, Duration age) {
        List<String> ids = jdbc.queryForList("SELECT id FROM authorizations WHERE principal_name = ?", String.class,
                userId.toString());
        assertThat(ids).hasSize(1);
        jdbc.update("UPDATE authorizations SET created_at = ? WHERE id = ?", Timestamp.from(Instant.now().minus(age)),
                ids.get(0));
    }

    private Instant signInStart(UUID userId) {
        return jdbc.queryForObject("SELECT created_at FROM authorizations WHERE principal_name = ?", Timestamp.class,
                userId.toString()).toInstant();
    }
}
