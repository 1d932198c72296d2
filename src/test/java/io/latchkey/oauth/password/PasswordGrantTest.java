package io.latchkey.oauth.password;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;

import io.latchkey.oauth.AuthorizationCodeFlowTest;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.MOBILE_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/** The password grant for first-party clients that have it enabled. */
@IntegrationTest
class PasswordGrantTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "password grant passphrase";

    private final Browser browser = new Browser();
    private String email;
    private String userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("grant");
        userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Grant User").toString();
    }

    @Test
    void confidentialFirstPartyClientGetsAccessRefreshAndIdTokens() {
        Browser.Response response = grant(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, email, PASSWORD, "openid email roles api.read");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(response);
        Jwt idToken = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(tokens.get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(userId);
        assertThat(idToken.getClaimAsString("email")).isEqualTo(email);
        assertThat(idToken.getClaimAsInstant("auth_time")).isNotNull();
        Jwt access = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(tokens.get("access_token").asString());
        assertThat(access.getClaimAsStringList("roles")).containsExactly("user");
        assertThat(access.getClaimAsString("client_id")).isEqualTo(FIRST_PARTY_CLIENT);

        Browser.Response refreshed = OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString()));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(OAuth.json(refreshed).get("refresh_token").asString()).isNotEqualTo(tokens.get("refresh_token").asString());

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'LOGIN_SUCCEEDED' AND user_id = ?::uuid",
                Integer.class, userId)).isEqualTo(1);
    }

    @Test
    void publicFirstPartyClientIdentifiesByClientIdAlone() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", MOBILE_CLIENT, null, OAuth.form(
                "grant_type", "password", "client_id", MOBILE_CLIENT, "username", email, "password", PASSWORD,
                "scope", "openid"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String refreshToken = OAuth.json(response).get("refresh_token").asString();
        Browser.Response refreshed = OAuth.post(browser, "/oauth2/token", MOBILE_CLIENT, null, OAuth.form(
                "grant_type", "refresh_token", "client_id", MOBILE_CLIENT, "refresh_token", refreshToken));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);

        // a public client without the password grant cannot refresh by client_id alone
        Browser.Response other = OAuth.post(browser, "/oauth2/token", PUBLIC_CLIENT, null, OAuth.form(
                "grant_type", "refresh_token", "client_id", PUBLIC_CLIENT, "refresh_token", refreshToken));
        assertThat(other.status()).isBetween(400, 401);
    }

    @Test
    void everyKindOfFailedSignInIsTheSameInvalidGrant() {
        String unverified = TestUsers.uniqueEmail("grant-unverified");
        createUser(unverified, PASSWORD);
        jdbc.update("UPDATE users SET email_verified = FALSE WHERE email_normalized = ?", unverified);
        String disabled = TestUsers.uniqueEmail("grant-disabled");
        createUser(disabled, PASSWORD);
        jdbc.update("UPDATE users SET enabled = FALSE WHERE email_normalized = ?", disabled);
        int before = rows();
        for (List<String> credentials : List.of(List.of(email, "wrong password"), List.of("nobody-" + email, PASSWORD),
                List.of(unverified, PASSWORD), List.of(disabled, PASSWORD), List.of("' OR '1'='1", "' OR '1'='1"),
                List.of("<script>alert(1)</script>@x.y", PASSWORD), List.of(email + "\u0000", PASSWORD),
                List.of("\u00fc\u00f1\u00ee@\u2603.example", "p\u00e4ss"))) {
            Browser.Response response = grant(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, credentials.get(0),
                    credentials.get(1), "openid");
            assertThat(response.status()).as(credentials.toString()).isEqualTo(400);
            JsonNode error = OAuth.json(response);
            assertThat(error.get("error").asString()).isEqualTo("invalid_grant");
            assertThat(error.get("error_description").asString())
                    .isEqualTo(PasswordGrantAuthenticationProvider.INVALID_CREDENTIALS);
        }
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void clientsWithoutThePasswordGrantCannotUseIt() {
        Browser.Response confidential = grant(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, email, PASSWORD, "openid");
        assertThat(confidential.status()).isEqualTo(400);
        assertThat(OAuth.json(confidential).get("error").asString()).isEqualTo("unauthorized_client");

        Browser.Response publicCodeClient = OAuth.post(browser, "/oauth2/token", PUBLIC_CLIENT, null, OAuth.form(
                "grant_type", "password", "client_id", PUBLIC_CLIENT, "username", email, "password", PASSWORD));
        assertThat(publicCodeClient.status()).isBetween(400, 401);
        assertThat(OAuth.json(publicCodeClient).get("error").asString())
                .isIn("invalid_client", "invalid_grant", "invalid_request", "unauthorized_client");
        assertThat(publicCodeClient.body()).doesNotContain("access_token");

        Browser.Response wrongSecret = grant(FIRST_PARTY_CLIENT, "wrong-secret-0123456789", email, PASSWORD, "openid");
        assertThat(wrongSecret.status()).isEqualTo(401);
    }

    @Test
    void malformedRequestsAreInvalidRequestOrScope() {
        Map<String, Map<String, String>> cases = Map.of(
                "invalid_request", OAuth.form("grant_type", "password", "password", PASSWORD),
                "invalid_request ", OAuth.form("grant_type", "password", "username", email),
                "invalid_request  ", OAuth.form("grant_type", "password", "username", "x".repeat(400), "password", PASSWORD),
                "invalid_request   ", OAuth.form("grant_type", "password", "username", email, "password", "p".repeat(2000)),
                "invalid_scope", OAuth.form("grant_type", "password", "username", email, "password", PASSWORD,
                        "scope", "admin"));
        int before = rows();
        cases.forEach((expected, form) -> {
            Browser.Response response = OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, form);
            assertThat(response.status()).as(expected).isEqualTo(400);
            assertThat(OAuth.json(response).get("error").asString()).isEqualTo(expected.trim());
        });
        Browser.Response repeated = browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&username=a%40b.c&username=d%40e.f&password=x"))
                .build());
        assertThat(OAuth.json(repeated).get("error").asString()).isEqualTo("invalid_request");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void guessingLocksTheAccountAndTheRightPasswordIsThenRefusedTheSameWay() {
        int failures = io.latchkey.support.TestServerInitializer.RATE_LIMIT_ACCOUNT_FAILURES;
        for (int i = 0; i < failures; i++) {
            Browser.Response wrong = grantFrom("198.51.100." + (20 + i), email, "wrong guess " + i);
            assertThat(OAuth.json(wrong).get("error").asString()).isEqualTo("invalid_grant");
        }
        Browser.Response right = grantFrom("198.51.100.99", email, PASSWORD);
        assertThat(right.status()).isEqualTo(400);
        assertThat(OAuth.json(right).get("error_description").asString())
                .isEqualTo(PasswordGrantAuthenticationProvider.INVALID_CREDENTIALS);
        assertThat(io.latchkey.support.TestMailbox.awaitMessage(email, 1)).isNotNull();
        assertThat(grant(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, TestUsers.uniqueEmail("other"), PASSWORD, "openid")
                .status()).isEqualTo(400);
    }

    @Test
    void tooManyAttemptsFromOneAddressGet429WithRetryAfter() {
        int perIp = io.latchkey.support.TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP;
        Browser.Response last = null;
        for (int i = 0; i <= perIp; i++) {
            last = grantFrom("198.51.100.200", TestUsers.uniqueEmail("spray"), "spray guess");
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("Retry-After")).isNotBlank();
        assertThat(OAuth.json(last).get("error").asString()).isEqualTo("temporarily_unavailable");
    }

    private Browser.Response grantFrom(String clientIp, String username, String password) {
        return browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET))
                .header("X-Forwarded-For", clientIp)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Browser.encode(new java.util.ArrayList<>(
                        OAuth.form("grant_type", "password", "username", username, "password", password).entrySet()))))
                .build());
    }

    @Test
    void discoveryAdvertisesThePasswordGrant() {
        JsonNode metadata = OAuth.json(browser.get("/.well-known/openid-configuration", "Accept", "application/json"));
        assertThat(metadata.get("grant_types_supported").toString()).contains("\"password\"");
    }

    private Browser.Response grant(String clientId, String secret, String username, String password, String scope) {
        return OAuth.post(browser, "/oauth2/token", clientId, secret, OAuth.form("grant_type", "password",
                "username", username, "password", password, "scope", scope));
    }

    private int rows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorizations", Integer.class);
    }
}
