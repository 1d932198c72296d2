package io.latchkey.api;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.LogCapture;
import io.latchkey.support.RawHttp;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.fieldMessages;
import static io.latchkey.api.ApiClient.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, mistyped, missing, oversized and hostile input on every API endpoint that takes a body: always
 * a 4xx problem (RFC 9457), never a 500 or an HTML page, and nothing written.
 */
@IntegrationTest
class ApiBadInputTest extends UsersInDatabaseTest {

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

    @Test
    void aChunkedBodyOverTheLimitIs413AndOneWithinItIsReadAsUsual() {
        byte[] big = ("{\"email\":\"" + "a".repeat(100_000) + "@example.com\"}").getBytes(StandardCharsets.UTF_8);
        for (String[] endpoint : endpoints()) {
            rawProblem(RawHttp.exchange(json(endpoint).chunked(big, 8192)), 413);
        }
        JsonNode read = rawProblem(RawHttp.exchange(json(new String[] { "POST", "/api/v1/auth/register", null })
                .chunked("{\"email\":\"not-an-email\",\"password\":\"x\"}".getBytes(StandardCharsets.UTF_8), 3)), 400);
        assertThat(fieldMessages(read, "email")).containsExactly("Enter a valid email address.");
    }

    @Test
    void parametersThatCannotBeReadAre400ProblemsAndNoErrorInTheLog() {
        String before = snapshot();
        try (LogCapture log = LogCapture.open()) {
            for (String query : List.of("?q=%zz", "?q=%FF%FE", "?%E0%A4=1", "?lang=%")) {
                rawProblem(RawHttp.exchange(new RawHttp.Request("GET", "/api/v1/users" + query)
                        .header("Authorization", "Bearer " + adminToken).noBody()), 400);
                rawProblem(RawHttp.exchange(json(new String[] { "POST", "/api/v1/auth/register" + query, null })
                        .body("{}".getBytes(StandardCharsets.UTF_8))), 400);
            }
            for (byte[] form : List.of("username=%zz&password=x".getBytes(StandardCharsets.ISO_8859_1),
                    new byte[] { 'u', 's', 'e', 'r', 'n', 'a', 'm', 'e', '=', (byte) 0xc0, (byte) 0xaf },
                    manyParameters(1001))) {
                rawProblem(RawHttp.exchange(new RawHttp.Request("POST", "/api/v1/auth/login")
                        .header("Content-Type", "application/x-www-form-urlencoded").body(form)), 400);
            }
            assertThat(LogCapture.describe(log.errors())).isEmpty();
            assertThat(LogCapture.describe(log.withStackTraces())).isEmpty();
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aContentTypeThatIsNotAMediaTypeIs415Problem() {
        for (String type : List.of("*/*", "application/*", "garbage", "application/json; charset=utf-42", "/")) {
            RawHttp.Answer answer = RawHttp.exchange(new RawHttp.Request("POST", "/api/v1/auth/register")
                    .header("Content-Type", type).body("{\"email\":\"a@b.c\"}".getBytes(StandardCharsets.UTF_8)));
            rawProblem(answer, 415);
        }
    }

    @Test
    void jsonOverItsLimitsIs400Problem() {
        String before = snapshot();
        String tooLong = "\"" + "a".repeat(10_001) + "\"";
        List<String> overLimits = List.of(
                // every endpoint reads one of these fields, and only a string that is read is measured
                "{\"email\":" + tooLong + ",\"name\":" + tooLong + ",\"token\":" + tooLong + ",\"currentPassword\":"
                        + tooLong + ",\"roles\":[" + tooLong + "]}",
                "{\"fuzz\":" + "[".repeat(17) + "]".repeat(17) + "}",
                "{\"fuzz\":" + "9".repeat(101) + "}",
                "{\"" + "n".repeat(257) + "\":1}");
        for (String[] endpoint : endpoints()) {
            for (String body : overLimits) {
                JsonNode problem = problem(api.call(endpoint[0], endpoint[1], endpoint[2], body), 400);
                assertThat(problem.get("detail").asString()).as(endpoint[1] + " " + body.substring(0, 12))
                        .isEqualTo("The JSON in the request body is too long, too deep or too large");
            }
        }
        // right at the limits the body is read, and judged field by field
        JsonNode atLimits = problem(api.post("/api/v1/auth/register", null, "{\"email\":\"" + "a".repeat(10_000)
                + "\",\"fuzz\":" + "[".repeat(15) + "]".repeat(15) + "}"), 400);
        assertThat(fieldMessages(atLimits, "email")).isNotEmpty();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aHeaderTheFirewallRefusesIs400ProblemEvenWhenAControllerReadsItFirst() {
        // the form login binds headers too: the firewall's check used to fire inside it, as a 500
        RawHttp.Answer answer = RawHttp.exchange(new RawHttp.Request("POST", "/api/v1/auth/login")
                .header("User-Agent", new byte[] { 'x', (byte) 0x85 })
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("username=a@b.c&password=x".getBytes(StandardCharsets.ISO_8859_1)));
        rawProblem(answer, 400);
    }

    @Test
    void aGarbledLanguageCookieIsIgnored() {
        Browser.Response response = api.send(HttpRequest.newBuilder(api.resolve("/api/v1/auth/password-reset/request"))
                .header("Content-Type", "application/json").header("Cookie", "latchkey-lang=%zz")
                .header("Accept-Language", "de")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"nope\"}")).build());
        JsonNode problem = problem(response, 400);
        assertThat(fieldMessages(problem, "email")).containsExactly("Geben Sie eine gültige E-Mail-Adresse ein.");
    }

    private RawHttp.Request json(String[] endpoint) {
        RawHttp.Request request = new RawHttp.Request(endpoint[0], endpoint[1]).header("Content-Type", "application/json")
                .header("Accept", "application/json");
        return endpoint[2] == null ? request : request.header("Authorization", "Bearer " + endpoint[2]);
    }

    /** Asserts an RFC 9457 problem with the status, from a raw answer. */
    private static JsonNode rawProblem(RawHttp.Answer answer, int status) {
        return problem(new Browser.Response(answer.status(), answer.headers(), answer.body(),
                java.net.URI.create("http://127.0.0.1/")), status);
    }

    private static byte[] manyParameters(int count) {
        StringBuilder form = new StringBuilder("username=a");
        for (int i = 0; i < count; i++) {
            form.append("&p").append(i).append("=1");
        }
        return form.toString().getBytes(StandardCharsets.ISO_8859_1);
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
