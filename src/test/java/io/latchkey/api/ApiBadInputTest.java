package io.latchkey.api;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;

import static io.latchkey.api.ApiClient.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, mistyped, missing, oversized and hostile input on every API endpoint that takes a body: always
 * a 4xx problem (RFC 9457), never a 500 or an HTML page, and nothing written.
 */
@IntegrationTest
class ApiBadInputTest {

    /** Not a JSON object: 400 everywhere. */
    private static final List<String> MALFORMED = List.of("{\"email\":", "not json", "[]", "\"text\"", "123", "null",
            "\u0000", "{\"email\":\"a\"} trailing", "{\"email\":\"a\",}");
    /**
     * Objects with wrongly typed fields: 400 where the endpoint has the field; where it does not, the field is
     * ignored (unknown fields are) and the answer is whatever the rest of the body gets, with nothing written.
     */
    private static final List<String> MISTYPED = List.of("{\"email\":{}}", "{\"password\":[1,2]}", "{\"token\":true}", "{\"name\":[]}", "{\"roles\":\"admin\"}",
            "{\"roles\":[{}]}", "{\"enabled\":\"maybe\"}", "{\"currentPassword\":{\"$ne\":1}}", "{\"a\":\"\\ud800\"}");
    private static final List<String> HOSTILE = List.of("' OR '1'='1", "'; DROP TABLE users; --", "<script>alert(1)</script>",
            "\u0000", "x\u0000y", "😀\u202e\u200b", "\\u0000", "%00", "${jndi:ldap://127.0.0.1/a}", "../../etc/passwd");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    private final ApiClient api = new ApiClient();
    private ApiClient.User admin;
    private ApiClient.User target;
    private String adminToken;

    @BeforeEach
    void users() {
        admin = ApiClient.admin(jdbc, passwordEncoder, "bad-admin");
        target = ApiClient.user(jdbc, passwordEncoder, "bad-target");
        adminToken = ApiClient.token(admin);
    }

    private List<String[]> endpoints() {
        String user = "/api/v1/users/" + target.id();
        return List.of(
                new String[] { "POST", "/api/v1/auth/register", null },
                new String[] { "POST", "/api/v1/auth/verify-email", null },
                new String[] { "POST", "/api/v1/auth/resend-verification", null },
                new String[] { "POST", "/api/v1/auth/password-reset/request", null },
                new String[] { "POST", "/api/v1/auth/password-reset/confirm", null },
                new String[] { "PATCH", "/api/v1/users/me", adminToken },
                new String[] { "POST", "/api/v1/users/me/password", adminToken },
                new String[] { "PATCH", user, adminToken },
                new String[] { "PUT", user + "/roles", adminToken });
    }

    @Test
    void malformedAndMistypedBodiesAre400Problems() {
        String before = snapshot();
        for (String[] endpoint : endpoints()) {
            for (String body : MALFORMED) {
                problem(api.call(endpoint[0], endpoint[1], endpoint[2], body), 400);
            }
            for (String body : MISTYPED) {
                Browser.Response response = api.call(endpoint[0], endpoint[1], endpoint[2], body);
                assertThat(response.status()).as(endpoint[1] + " " + body).isBetween(200, 499);
                if (response.status() >= 400) {
                    problem(response, response.status());
                }
            }
            // no body at all, and a body that is not JSON
            Browser.Response empty = api.call(endpoint[0], endpoint[1], endpoint[2], null);
            assertThat(empty.status()).isIn(400, 415);
            problem(empty, empty.status());
            Browser.Response text = api.send(HttpRequest.newBuilder(api.resolve(endpoint[1]))
                    .header("Content-Type", "text/plain").header("Authorization", "Bearer " + adminToken)
                    .method(endpoint[0], HttpRequest.BodyPublishers.ofString("email=a@b.c")).build());
            problem(text, 415);
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void hostileStringsInEveryFieldAreRefusedOrHarmless() {
        String before = snapshot();
        for (String hostile : HOSTILE) {
            String value = json(hostile);
            for (String[] endpoint : endpoints()) {
                for (String body : List.of(
                        "{\"email\":" + value + ",\"password\":" + value + ",\"name\":" + value + "}",
                        "{\"token\":" + value + ",\"password\":" + value + "}",
                        "{\"currentPassword\":" + value + ",\"newPassword\":" + value + "}",
                        "{\"roles\":[" + value + "]}",
                        "{\"email\":\"" + hostileLocalPart(hostile) + "@example.com\"}")) {
                    Browser.Response response = api.call(endpoint[0], endpoint[1], endpoint[2], body);
                    assertThat(response.status()).as(endpoint[1] + " " + body).isBetween(200, 499);
                    if (response.status() >= 400) {
                        problem(response, response.status());
                    }
                }
            }
            for (String query : List.of("/api/v1/users?q=", "/api/v1/users/")) {
                Browser.Response response = api.get(query + java.net.URLEncoder.encode(hostile, StandardCharsets.UTF_8),
                        adminToken);
                assertThat(response.status()).as(query + hostile).isIn(200, 400, 404);
                // Tomcat itself refuses a path with an encoded NUL, slash or backslash, with its own 400 page,
                // before the application runs
                boolean refusedByTomcat = query.endsWith("/") && (hostile.contains("\u0000") || hostile.contains("/")
                        || hostile.contains("\\"));
                if (response.status() >= 400 && !refusedByTomcat) {
                    problem(response, response.status());
                }
            }
        }
        assertThat(snapshot()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE id = ?", Integer.class, target.id())).isEqualTo(1);
        // a hostile string without control characters is a valid name: PATCH stored it as plain text, verbatim
        assertThat(jdbc.queryForObject("SELECT name FROM users WHERE id = ?", String.class, target.id()))
                .isEqualTo(HOSTILE.get(HOSTILE.size() - 1));
    }

    @Test
    void aOneMegabyteBodyIs413ProblemOnEveryEndpoint() {
        String big = "{\"email\":\"" + "a".repeat(1024 * 1024) + "@example.com\"}";
        for (String[] endpoint : endpoints()) {
            Browser.Response response = api.call(endpoint[0], endpoint[1], endpoint[2], big);
            problem(response, 413);
        }
    }

    @Test
    void unknownPathsAndWrongMethodsAreProblemsToo() {
        problem(api.get("/api/v1/nothing-here", adminToken), 404);
        problem(api.call("DELETE", "/api/v1/users/me", adminToken, null), 400);
        Browser.Response wrongMethod = api.call("DELETE", "/api/v1/auth/register", null, null);
        assertThat(wrongMethod.status()).isIn(401, 405);
        problem(wrongMethod, wrongMethod.status());
        problem(api.call("PUT", "/api/v1/users/me/password", adminToken, "{}"), 405);
        problem(api.get("/api/v1/users/me/password", adminToken), 405);
    }

    /**
     * Everything the tests could have written: users (but their names, which PATCH may set to any text without
     * control characters), roles, links (audit events excluded).
     */
    private String snapshot() {
        StringBuilder dump = new StringBuilder();
        dump.append(jdbc.queryForList("SELECT id, email, email_normalized, email_verified, password_hash, enabled, locked "
                + "FROM users ORDER BY id")).append('\n');
        for (String table : List.of("user_roles", "account_links", "roles", "role_permissions")) {
            dump.append(jdbc.queryForList("SELECT * FROM " + table + " ORDER BY 1, 2")).append('\n');
        }
        return dump.toString();
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            }
            else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            }
            else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    private static String hostileLocalPart(String hostile) {
        return json(hostile).substring(1, json(hostile).length() - 1);
    }
}
