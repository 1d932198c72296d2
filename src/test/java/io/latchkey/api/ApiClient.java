package io.latchkey.api;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.oauth.ApiScopes;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** Calls the API over HTTP as a client would, with users and their access tokens from the code flow. */
final class ApiClient {

    static final String PASSWORD = "api test passphrase 4711";

    private final Browser http = new Browser();

    Browser.Response call(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.resolve(path)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        return http.send(request.build());
    }

    Browser.Response send(HttpRequest request) {
        return http.send(request);
    }

    java.net.URI resolve(String path) {
        return http.resolve(path);
    }

    Browser.Response get(String path, String token) {
        return call("GET", path, token, null);
    }

    Browser.Response post(String path, String token, String json) {
        return call("POST", path, token, json);
    }

    /** A new verified user with the role "user". */
    static User user(JdbcTemplate jdbc, PasswordEncoder encoder, String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        return new User(TestUsers.create(jdbc, encoder, email, PASSWORD, "Name of " + prefix), email);
    }

    static User admin(JdbcTemplate jdbc, PasswordEncoder encoder, String prefix) {
        User user = user(jdbc, encoder, prefix);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", user.id());
        return user;
    }

    /**
     * An access token for the user, from the code flow with the trusted client (no consent asked, except for
     * {@code latchkey.admin}, which the flow approves).
     */
    static String token(User user, String scope) {
        String verifier = OAuth.randomVerifier();
        Browser session = new Browser();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT, scope,
                "s", verifier), user.email(), PASSWORD);
        Browser.Response response = OAuth.post(session, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    /** A token for the API: its own account and, as far as the user's permissions go, administration. */
    static String token(User user) {
        return token(user, "openid " + ApiScopes.ACCOUNT + " " + ApiScopes.ADMIN);
    }

    static JsonNode claims(String jwt) {
        return OAuth.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    /** Asserts an RFC 9457 problem with the status, and returns it. */
    static JsonNode problem(Browser.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/problem+json");
        JsonNode problem = OAuth.json(response);
        assertThat(problem.get("type").asString()).isNotBlank();
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.has("detail")).isTrue();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.latchkey");
        return problem;
    }

    /** The messages of the problem's field errors for the field. */
    static java.util.List<String> fieldMessages(JsonNode problem, String field) {
        java.util.List<String> messages = new java.util.ArrayList<>();
        problem.get("errors").forEach(error -> {
            if (field.equals(error.get("field").asString())) {
                messages.add(error.get("message").asString());
            }
        });
        return messages;
    }

    record User(UUID id, String email) {
    }
}
