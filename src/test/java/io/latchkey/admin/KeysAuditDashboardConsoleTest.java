package io.latchkey.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;
import io.latchkey.tokens.TokenActivity;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's signing keys, audit trail and dashboard pages, over HTTP as a browser uses them. */
@IntegrationTest
class KeysAuditDashboardConsoleTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "keys and audit console 77";

    @Autowired
    private TokenActivity tokenActivity;

    @Autowired
    private AdminDashboard dashboard;

    @Test
    void anAdminSeesTheKeysAndRotatesOneNewTokensUseTheNewKeyTheOldStaysPublished() {
        UUID admin = user("keys-console-admin", "admin");
        Browser browser = signedIn(admin);
        String oldKid = kidOf(clientCredentialsToken());

        Browser.Response page = browser.get("/admin/keys");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"key-" + oldKid + "\"").contains("data-status=\"active\"")
                .contains("id=\"rotate-key\"").contains("aria-current=\"page\"");
        for (String part : List.of("\"d\"", "private", "sealed", "BEGIN")) {
            assertThat(page.body()).doesNotContain(part);
        }

        Browser.Response rotated = browser.postForm("/admin/keys/rotate", Map.of("_csrf", page.csrf()));
        assertThat(rotated.status()).isEqualTo(302);
        assertThat(rotated.location()).isEqualTo(ISSUER + "/admin/keys?done=keyRotated");
        Browser.Response after = browser.get("/admin/keys?done=keyRotated");
        assertThat(after.body()).contains("id=\"admin-done\"");
        String newKid = kidOf(clientCredentialsToken());
        assertThat(newKid).as("new tokens are signed by the new key").isNotEqualTo(oldKid);
        assertThat(after.body()).contains("id=\"key-" + newKid + "\"");
        assertThat(after.body()).containsPattern("id=\"key-" + oldKid + "\" data-status=\"published\"");
        assertThat(jwksKids()).contains(oldKid, newKid);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'SIGNING_KEY_ROTATED' "
                + "AND subject = ? AND details LIKE ?", Integer.class, "key:" + newKid, "%\"actor\":\"" + admin + "\"%"))
                .isEqualTo(1);
    }

    @Test
    void aReaderOfKeysSeesNoRotateButtonAndCannotRotate() {
        UUID reader = user("keys-reader", roleWith("keys:read"));
        Browser browser = signedIn(reader);
        String activeBefore = activeKid();
        Browser.Response page = browser.get("/admin/keys");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"rotate-key\"");
        Browser.Response refused = browser.postForm("/admin/keys/rotate",
                Map.of("_csrf", browser.get("/account").csrf()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(activeKid()).isEqualTo(activeBefore);
        assertThat(browser.get("/admin/audit").status()).as("keys:read is not audit:read").isEqualTo(403);
        assertThat(browser.get("/admin").status()).isEqualTo(403);
    }

    @Test
    void theAuditPageFiltersShowsPagesAndExportsAndRefusesBadInputWithA400Form() {
        UUID admin = user("audit-console-admin", "admin");
        Browser browser = signedIn(admin);
        String client = "console-" + UUID.randomUUID();
        Instant base = Instant.parse("2025-05-01T10:00:00Z");
        insert(base, "CLIENT_DISABLED", "client:" + client, "{\"reason\":\"<script>alert(1)</script>\"}");
        insert(base.plusSeconds(60), "CLIENT_ENABLED", "client:" + client, null);
        insert(base.plusSeconds(120), "ACCESS_DENIED", "=SUM(A1)", "{\"client\":\"" + client + "\"}");

        Browser.Response page = browser.get("/admin/audit?client=" + client + "&size=2");
        assertThat(page.status()).isEqualTo(200);
        assertThat(rows(page.body())).isEqualTo(2);
        assertThat(page.body()).contains("<td>ACCESS_DENIED</td>").contains("<td>CLIENT_ENABLED</td>")
                .doesNotContain("<td>CLIENT_DISABLED</td>")
                .contains("id=\"audit-next\"").doesNotContain("id=\"audit-previous\"")
                .contains("value=\"" + client + "\"");
        Browser.Response second = browser.get("/admin/audit?client=" + client + "&size=2&page=1");
        assertThat(rows(second.body())).isEqualTo(1);
        assertThat(second.body()).contains("<td>CLIENT_DISABLED</td>").contains("id=\"audit-previous\"")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");

        Browser.Response typed = browser.get("/admin/audit?client=" + client + "&type=CLIENT_ENABLED"
                + "&type=CLIENT_DISABLED&from=2025-05-01T10:00&to=2025-05-01T10:01:30");
        assertThat(rows(typed.body())).isEqualTo(2);
        assertThat(typed.body()).contains("<option value=\"CLIENT_ENABLED\" selected=\"selected\">");

        Browser.Response csv = browser.get("/admin/audit/export?format=csv&client=" + client);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).contains(",ACCESS_DENIED,,'=SUM(A1),");
        Browser.Response jsonl = browser.get("/admin/audit/export?format=jsonl&client=" + client);
        assertThat(jsonl.body().split("\n")).hasSize(3);

        String hostile = URLEncoder.encode("\"><script>alert(1)</script>", StandardCharsets.UTF_8);
        for (String[] bad : new String[][] { { "user=" + hostile, "user" }, { "type=NOPE", "type" },
                { "from=" + hostile, "from" }, { "from=2025-05-02&to=2025-05-01", "to" }, { "size=100000", "size" },
                { "client=" + URLEncoder.encode("a\u0000b", StandardCharsets.UTF_8), "client" } }) {
            Browser.Response refused = browser.get("/admin/audit?" + bad[0]);
            assertThat(refused.status()).as(bad[0]).isEqualTo(400);
            assertThat(refused.body()).as(bad[0]).contains("class=\"error-summary\"").contains("href=\"#audit-" + bad[1])
                    .doesNotContain("<script>alert(1)").doesNotContain("Exception");
            if (!bad[1].equals("size")) {
                assertThat(refused.body()).as(bad[0]).contains("aria-describedby=\"audit-" + bad[1] + "-error\"");
            }
        }
        Browser.Response badExport = browser.get("/admin/audit/export?format=xlsx");
        assertThat(badExport.status()).isEqualTo(400);
        assertThat(badExport.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void issuedAndRefusedTokensAndSignInsShowOnTheDashboardAfterAFlush() {
        UUID admin = user("dashboard-admin", "admin");
        String email = jdbc.queryForObject("SELECT email FROM users WHERE id = ?", String.class, admin);
        new Browser().signIn(email, "not the password");
        tokenActivity.flush();
        AdminDashboard.Figures before = dashboard.figures();
        long clientBefore = issuedTo(CONFIDENTIAL_CLIENT);

        for (int i = 0; i < 3; i++) {
            clientCredentialsToken();
        }
        Browser.Response refused = OAuth.post(new Browser(), "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "urn:example:no-such-grant"));
        assertThat(refused.status()).isEqualTo(400);
        // a client id nobody registered: counted as "unknown", never as a row of its own
        String stranger = "stranger-" + UUID.randomUUID();
        Browser.Response unknownClient = OAuth.post(new Browser(), "/oauth2/token", stranger, "any secret",
                OAuth.form("grant_type", "client_credentials"));
        assertThat(unknownClient.status()).isEqualTo(401);

        tokenActivity.flush();

        AdminDashboard.Figures after = dashboard.figures();
        assertThat(after.tokens().good() - before.tokens().good()).isGreaterThanOrEqualTo(3);
        assertThat(after.tokens().bad() - before.tokens().bad()).isGreaterThanOrEqualTo(2);
        assertThat(issuedTo(CONFIDENTIAL_CLIENT) - clientBefore).isGreaterThanOrEqualTo(3);
        assertThat(tokenActivity.since(Instant.now().minusSeconds(3600))).as("no row names the stranger")
                .noneMatch(count -> count.client().equals(stranger))
                .anyMatch(count -> count.client().equals("unknown") && count.detail().equals("invalid_client"));
        assertThat(after.signIns().bad()).as("the failed sign-in above").isGreaterThanOrEqualTo(1);
        assertThat(after.tokens().bars()).hasSize(24);
        assertThat(after.tokens().bars().get(23).good()).isGreaterThanOrEqualTo(3);

        Browser browser = signedIn(admin);
        Browser.Response home = browser.get("/admin");
        assertThat(home.status()).isEqualTo(200);
        String body = home.body();
        assertThat(body).contains("<svg").contains("role=\"img\"").contains("id=\"tokens-table\"")
                .contains("id=\"sign-ins-table\"").doesNotContain("<script>").doesNotContain("style=");
        assertThat(body).containsPattern("<rect class=\"good\" x=\"\\d+\" y=\"\\d+\" width=\"\\d+\" height=\"\\d+\"");
        assertThat(after.signIns().good()).isGreaterThanOrEqualTo(1);
        if (after.topClients().stream().anyMatch(client -> client.client().equals(CONFIDENTIAL_CLIENT))) {
            assertThat(body).contains("data-client=\"" + CONFIDENTIAL_CLIENT + "\"");
        }
    }

    private long issuedTo(String client) {
        return tokenActivity.since(Instant.now().minusSeconds(24 * 3600)).stream()
                .filter(count -> count.client().equals(client) && count.issued())
                .mapToLong(TokenActivity.Count::total).sum();
    }

    private static int rows(String body) {
        return body.split("class=\"audit-event\"", -1).length - 1;
    }

    private void insert(Instant at, String type, String subject, String details) {
        jdbc.update("INSERT INTO audit_events (id, occurred_at, type, subject, details) VALUES (?, ?, ?, ?, ?)",
                UUID.randomUUID(), OffsetDateTime.ofInstant(at, ZoneOffset.UTC), type, subject, details);
    }

    private UUID user(String prefix, String role) {
        UUID id = createUser(TestUsers.uniqueEmail(prefix), PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", id, role);
        return id;
    }

    private String roleWith(String... permissions) {
        String role = "role-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO roles (name, description) VALUES (?, ?)", role, "test role");
        for (String permission : permissions) {
            jdbc.update("INSERT INTO role_permissions (role_name, permission) VALUES (?, ?)", role, permission);
        }
        return role;
    }

    private Browser signedIn(UUID user) {
        String email = jdbc.queryForObject("SELECT email FROM users WHERE id = ?", String.class, user);
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        return browser;
    }

    private String activeKid() {
        return jdbc.queryForObject("SELECT kid FROM signing_keys WHERE retired_at IS NULL", String.class);
    }

    private static String clientCredentialsToken() {
        Browser.Response response = OAuth.post(new Browser(), "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET, OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    private static String kidOf(String jwt) {
        return OAuth.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8))
                .get("kid").asString();
    }

    private static List<String> jwksKids() {
        List<String> kids = new ArrayList<>();
        OAuth.json(new Browser().get("/oauth2/jwks")).get("keys").forEach(key -> kids.add(key.get("kid").asString()));
        return kids;
    }
}
