package io.latchkey.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.api.ApiClient.token;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin API's signing keys and audit events: permissions, rotation, filters, exports and bad input. */
@IntegrationTest
class AdminKeysAndEventsApiTest extends UsersInDatabaseTest {

    private final ApiClient api = new ApiClient();

    @Test
    void rotatingThroughTheApiSignsNewTokensWithTheNewKeyAndKeepsTheOldOnePublished() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "keys-admin");
        String token = token(admin);
        String oldKid = kidOf(clientCredentialsToken());

        Browser.Response listed = api.get("/api/v1/admin/keys", token);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode active = keyOf(OAuth.json(listed), oldKid);
        assertThat(active.get("status").asString()).isEqualTo("active");
        assertThat(active.get("algorithm").asString()).isIn("RS256", "ES256");
        assertThat(active.get("ageSeconds").asLong()).isGreaterThanOrEqualTo(0);
        assertNoPrivateParts(listed.body());

        Browser.Response rotated = api.post("/api/v1/admin/keys/rotate", token, null);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        JsonNode body = OAuth.json(rotated);
        String newKid = body.get("activeKid").asString();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(keyOf(body, newKid).get("status").asString()).isEqualTo("active");
        JsonNode retired = keyOf(body, oldKid);
        assertThat(retired.get("status").asString()).isEqualTo("published");
        assertThat(Instant.parse(retired.get("publishedUntil").asString())).isAfter(Instant.now());
        assertNoPrivateParts(rotated.body());

        assertThat(kidOf(clientCredentialsToken())).as("new tokens are signed by the new key").isEqualTo(newKid);
        assertThat(jwksKids()).as("the old key stays published until its published-until").contains(oldKid, newKid);
        assertThat(api.get("/api/v1/admin/keys", token).status()).as("the token signed by the old key still works")
                .isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'SIGNING_KEY_ROTATED' "
                + "AND subject = ? AND details LIKE ? AND details LIKE ?", Integer.class, "key:" + newKid,
                "%\"actor\":\"" + admin.id() + "\"%", "%\"outcome\":\"succeeded\"%")).isEqualTo(1);
    }

    @Test
    void eachOperationNeedsItsPermission() {
        ApiClient.User reader = userWithPermissions("keys-reader", "keys:read");
        ApiClient.User nobody = ApiClient.user(jdbc, passwordEncoder, "no-admin");
        String readerToken = token(reader);
        String nobodyToken = token(nobody);
        String activeBefore = activeKid();

        assertThat(api.get("/api/v1/admin/keys", readerToken).status()).isEqualTo(200);
        problem(api.post("/api/v1/admin/keys/rotate", readerToken, null), 403);
        assertThat(activeKid()).as("nothing rotated").isEqualTo(activeBefore);
        problem(api.get("/api/v1/admin/events", readerToken), 403);
        problem(api.get("/api/v1/admin/events/export", readerToken), 403);
        for (String path : List.of("/api/v1/admin/keys", "/api/v1/admin/events", "/api/v1/admin/events/export")) {
            problem(api.get(path, nobodyToken), 403);
            problem(api.get(path, null), 401);
        }
        problem(api.post("/api/v1/admin/keys/rotate", nobodyToken, null), 403);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'ACCESS_DENIED' AND user_id = ?",
                Integer.class, nobody.id())).isGreaterThanOrEqualTo(4);
    }

    @Test
    void eventsAreFilteredByUserClientTypeAndTimeNewestFirstAndPaged() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "events-admin");
        String token = token(admin);
        UUID subjectUser = UUID.randomUUID();
        String client = "client_%" + UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.parse("2025-03-01T10:00:00Z");
        insert(base, "LOGIN_FAILED", subjectUser, null, null);
        insert(base.plusSeconds(60), "ACCOUNT_DISABLED", null, "user:" + subjectUser,
                "{\"actor\":\"" + subjectUser + "\",\"outcome\":\"succeeded\"}");
        insert(base.plusSeconds(120), "CLIENT_DISABLED", null, "client:" + client, null);
        insert(base.plusSeconds(180), "AUTHORIZATION_CHALLENGE_STARTED", null, client, null);
        insert(base.plusSeconds(240), "ACCESS_DENIED", null, null, "{\"client\":\"" + client + "\"}");
        // a client whose id LIKE would match if its wildcards were not escaped
        insert(base.plusSeconds(300), "CLIENT_DISABLED", null, "client:" + client.replace("_%", "xyz"), null);

        JsonNode byUser = page(token, "user=" + subjectUser);
        assertThat(types(byUser)).containsExactly("ACCOUNT_DISABLED", "LOGIN_FAILED");

        JsonNode byClient = page(token, "client=" + encode(client));
        assertThat(types(byClient)).containsExactly("ACCESS_DENIED", "AUTHORIZATION_CHALLENGE_STARTED",
                "CLIENT_DISABLED");

        JsonNode byTypes = page(token, "client=" + encode(client) + "&type=CLIENT_DISABLED&type=access_denied");
        assertThat(types(byTypes)).containsExactly("ACCESS_DENIED", "CLIENT_DISABLED");
        assertThat(types(page(token, "client=" + encode(client) + "&type=CLIENT_DISABLED,ACCESS_DENIED")))
                .containsExactly("ACCESS_DENIED", "CLIENT_DISABLED");

        JsonNode byTime = page(token, "user=" + subjectUser + "&from=2025-03-01T10:00:30Z&to=2025-03-01T11:00:00Z");
        assertThat(types(byTime)).containsExactly("ACCOUNT_DISABLED");

        JsonNode first = page(token, "client=" + encode(client) + "&size=2");
        assertThat(types(first)).containsExactly("ACCESS_DENIED", "AUTHORIZATION_CHALLENGE_STARTED");
        assertThat(first.get("hasNext").asBoolean()).isTrue();
        JsonNode second = page(token, "client=" + encode(client) + "&size=2&page=1");
        assertThat(types(second)).containsExactly("CLIENT_DISABLED");
        assertThat(second.get("hasNext").asBoolean()).isFalse();
        JsonNode event = second.get("events").get(0);
        assertThat(event.get("subject").asString()).isEqualTo("client:" + client);
        assertThat(event.get("occurredAt").asString()).isEqualTo("2025-03-01T10:02:00Z");
    }

    @Test
    void exportsAreCsvOrJsonLinesWithTheFilterAndAreAudited() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "export-admin");
        String token = token(admin);
        String client = "export-" + UUID.randomUUID();
        insert(Instant.parse("2025-04-01T10:00:00Z"), "CLIENT_DISABLED", null, "client:" + client,
                "{\"actor\":\"=HYPERLINK(1)\"}");
        insert(Instant.parse("2025-04-01T11:00:00Z"), "CLIENT_ENABLED", null, "client:" + client, null);

        Browser.Response csv = api.get("/api/v1/admin/events/export?format=csv&client=" + client, token);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).startsWith("attachment; filename=\"audit-events-")
                .endsWith(".csv\"");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("id,occurred_at,type,user_id,subject,client_ip,user_agent,details");
        assertThat(lines[1]).contains(",CLIENT_ENABLED,");
        assertThat(lines[2]).contains(",CLIENT_DISABLED,").endsWith(",\"{\"\"actor\"\":\"\"=HYPERLINK(1)\"\"}\"");

        Browser.Response jsonl = api.get("/api/v1/admin/events/export?format=jsonl&client=" + client
                + "&type=CLIENT_DISABLED", token);
        assertThat(jsonl.status()).as(jsonl.body()).isEqualTo(200);
        assertThat(jsonl.header("Content-Type")).startsWith("application/jsonl");
        String[] objects = jsonl.body().split("\n");
        assertThat(objects).hasSize(1);
        JsonNode row = OAuth.json(objects[0]);
        assertThat(new ArrayList<>(row.propertyNames())).containsExactly("id", "occurred_at", "type", "user_id",
                "subject", "client_ip", "user_agent", "details");
        assertThat(row.get("details").get("actor").asString()).isEqualTo("=HYPERLINK(1)");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'AUDIT_EXPORTED' "
                + "AND details LIKE ? AND details LIKE ?", Integer.class, "%\"actor\":\"" + admin.id() + "\"%",
                "%client=" + client + "%")).isEqualTo(2);
    }

    @Test
    void badFilterInputIsA400ProblemNamingTheParameterNeverA500() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "bad-input-admin");
        String token = token(admin);
        String[][] cases = {
                { "user=not-a-uuid", "user" }, { "user=" + encode("' OR 1=1 --"), "user" },
                { "client=" + encode("a\u0000b"), "client" }, { "client=" + "x".repeat(300), "client" },
                { "type=NOT_A_TYPE", "type" }, { "type=" + encode("<script>alert(1)</script>"), "type" },
                { "type=LOGIN_FAILED&type=" + encode("'; DROP TABLE audit_events; --"), "type" },
                { "from=yesterday", "from" }, { "from=" + encode("+999999999-12-31T23:59:59Z"), "from" },
                { "to=2025-02-30", "to" }, { "from=2025-03-02&to=2025-03-01", "to" },
                { "page=-1", "page" }, { "page=99999999999", "page" }, { "size=100000", "size" },
                { "size=0", "size" }, { "size=" + encode("1e3"), "size" } };
        for (String[] bad : cases) {
            for (String path : List.of("/api/v1/admin/events?", "/api/v1/admin/events/export?format=csv&")) {
                if (path.contains("export") && (bad[1].equals("page") || bad[1].equals("size"))) {
                    continue;
                }
                JsonNode problem = problem(api.get(path + bad[0], token), 400);
                assertThat(problem.get("errors").get(0).get("field").asString()).as(bad[0]).isEqualTo(bad[1]);
                assertThat(problem.get("errors").get(0).get("message").asString()).as(bad[0]).isNotBlank();
            }
        }
        JsonNode format = problem(api.get("/api/v1/admin/events/export?format=xlsx", token), 400);
        assertThat(format.get("errors").get(0).get("field").asString()).isEqualTo("format");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'AUDIT_EXPORTED' "
                + "AND details LIKE ?", Integer.class, "%\"actor\":\"" + admin.id() + "\"%"))
                .as("a refused export is not an export").isZero();
        // a hostile but valid client id is only a value to look for
        assertThat(api.get("/api/v1/admin/events?client=" + encode("' OR '1'='1 😀 %_"), token).status())
                .isEqualTo(200);
    }

    private JsonNode page(String token, String query) {
        Browser.Response response = api.get("/api/v1/admin/events?" + query, token);
        assertThat(response.status()).as(query + ": " + response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("events").forEach(event -> types.add(event.get("type").asString()));
        return types;
    }

    private void insert(Instant at, String type, UUID user, String subject, String details) {
        jdbc.update("INSERT INTO audit_events (id, occurred_at, type, user_id, subject, details) "
                + "VALUES (?, ?, ?, ?, ?, ?)", UUID.randomUUID(),
                java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC), type, user, subject, details);
    }

    private ApiClient.User userWithPermissions(String prefix, String... permissions) {
        ApiClient.User user = ApiClient.user(jdbc, passwordEncoder, prefix);
        String role = "role-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO roles (name, description) VALUES (?, ?)", role, "test role");
        for (String permission : permissions) {
            jdbc.update("INSERT INTO role_permissions (role_name, permission) VALUES (?, ?)", role, permission);
        }
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", user.id(), role);
        return user;
    }

    private String activeKid() {
        return jdbc.queryForObject("SELECT kid FROM signing_keys WHERE retired_at IS NULL", String.class);
    }

    private static JsonNode keyOf(JsonNode body, String kid) {
        for (JsonNode key : body.get("keys")) {
            if (key.get("kid").asString().equals(kid)) {
                return key;
            }
        }
        throw new AssertionError("no key " + kid + " in " + body);
    }

    private static void assertNoPrivateParts(String body) {
        for (String part : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "private", "sealed",
                "jwk")) {
            assertThat(body).doesNotContainIgnoringCase(part);
        }
    }

    private String clientCredentialsToken() {
        Browser.Response response = OAuth.post(new Browser(), "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET, OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    private static String kidOf(String jwt) {
        String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]),
                StandardCharsets.UTF_8);
        return OAuth.json(header).get("kid").asString();
    }

    private static List<String> jwksKids() {
        Browser.Response jwks = new Browser().get("/oauth2/jwks");
        List<String> kids = new ArrayList<>();
        OAuth.json(jwks).get("keys").forEach(key -> kids.add(key.get("kid").asString()));
        return kids;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
