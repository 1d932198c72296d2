package io.latchkey.api;

import java.net.http.HttpRequest;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in, refresh and sign-out through the first-party API. */
@IntegrationTest
class ApiTokenTest extends UsersInDatabaseTest {

    private final ApiClient api = new ApiClient();
    private ApiClient.User user;

    @BeforeEach
    void createUser() {
        user = ApiClient.user(jdbc, passwordEncoder, "api-login");
    }

    @Test
    void loginWithJsonOrFormReturnsTokensThatTheApiAccepts() {
        Browser.Response json = api.post("/api/v1/auth/login", null,
                "{\"username\":\"" + user.email() + "\",\"password\":\"" + ApiClient.PASSWORD + "\",\"scope\":\"openid email\"}");
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        assertThat(json.header("Cache-Control")).contains("no-store");
        JsonNode tokens = OAuth.json(json);
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isPositive();
        assertThat(tokens.get("refresh_token").asString()).isNotBlank();
        assertThat(tokens.get("id_token").asString()).isNotBlank();

        Browser.Response me = api.get("/api/v1/users/me", tokens.get("access_token").asString());
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(OAuth.json(me).get("email").asString()).isEqualTo(user.email());

        Browser.Response form = api.send(HttpRequest.newBuilder(api.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(new java.util.ArrayList<>(OAuth.form(
                        "username", user.email(), "password", ApiClient.PASSWORD).entrySet()))))
                .build());
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        assertThat(OAuth.json(form).has("id_token")).isFalse();
    }

    @Test
    void everyFailedLoginIsTheSameProblem() {
        for (List<String> credentials : List.of(List.of(user.email(), "wrong password"),
                List.of("nobody@latchkey.test", ApiClient.PASSWORD), List.of("' OR 1=1 --", "x"),
                List.of("\u00fc\u2603@x.y", "\u00e4"))) {
            Browser.Response response = api.post("/api/v1/auth/login", null, "{\"username\":\"" + credentials.get(0)
                    + "\",\"password\":\"" + credentials.get(1) + "\"}");
            JsonNode problem = ApiClient.problem(response, 400);
            assertThat(problem.get("detail").asString()).isEqualTo(SignInController.INVALID_CREDENTIALS);
        }
        ApiClient.problem(api.post("/api/v1/auth/login", null, "{\"username\":\"" + user.email() + "\"}"), 400);
        ApiClient.problem(api.post("/api/v1/auth/login", null, "{\"username\":5,\"password\":[1]}"), 400);
        JsonNode badScope = ApiClient.problem(api.post("/api/v1/auth/login", null, "{\"username\":\"" + user.email()
                + "\",\"password\":\"" + ApiClient.PASSWORD + "\",\"scope\":\"admin\"}"), 400);
        assertThat(ApiClient.fieldMessages(badScope, "scope")).isNotEmpty();
    }

    @Test
    void refreshRotatesAndReplayRevokesTheSignIn() {
        JsonNode first = login();
        JsonNode second = OAuth.json(api.post("/api/v1/auth/refresh", null,
                "{\"refresh_token\":\"" + first.get("refresh_token").asString() + "\"}"));
        assertThat(second.get("refresh_token").asString()).isNotEqualTo(first.get("refresh_token").asString());

        ApiClient.problem(api.post("/api/v1/auth/refresh", null,
                "{\"refresh_token\":\"" + first.get("refresh_token").asString() + "\"}"), 400);
        assertThat(api.get("/api/v1/users/me", second.get("access_token").asString()).status()).isEqualTo(401);
        ApiClient.problem(api.post("/api/v1/auth/refresh", null,
                "{\"refresh_token\":\"" + second.get("refresh_token").asString() + "\"}"), 400);
    }

    @Test
    void logoutRevokesEveryTokenOfTheSignIn() {
        JsonNode tokens = login();
        Browser.Response logout = api.post("/api/v1/auth/logout", null,
                "{\"refresh_token\":\"" + tokens.get("refresh_token").asString() + "\"}");
        assertThat(logout.status()).isEqualTo(204);
        ApiClient.problem(api.post("/api/v1/auth/refresh", null,
                "{\"refresh_token\":\"" + tokens.get("refresh_token").asString() + "\"}"), 400);
        assertThat(api.get("/api/v1/users/me", tokens.get("access_token").asString()).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/logout", null, "{\"refresh_token\":\"unknown\"}").status()).isEqualTo(204);
        ApiClient.problem(api.post("/api/v1/auth/logout", null, "{}"), 400);
    }

    @Test
    void guessingFromOneAddressGets429WithRetryAfter() {
        Browser.Response last = null;
        for (int i = 0; i <= TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            last = api.send(HttpRequest.newBuilder(api.resolve("/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", "198.51.100.77")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"spray" + i
                            + "@latchkey.test\",\"password\":\"guess\"}"))
                    .build());
        }
        ApiClient.problem(last, 429);
        assertThat(last.header("Retry-After")).isNotBlank();
    }

    private JsonNode login() {
        Browser.Response response = api.post("/api/v1/auth/login", null,
                "{\"username\":\"" + user.email() + "\",\"password\":\"" + ApiClient.PASSWORD + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }
}
