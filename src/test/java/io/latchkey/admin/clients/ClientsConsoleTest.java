package io.latchkey.admin.clients;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

/**
 * The console's clients pages over HTTP: every problem of a form shown at once at its field with the values kept, a
 * secret shown once on the answer to the form that made it (never again, never in the session), edits, the read-only
 * clients of the configuration, disable, enable, delete with a confirmation, and rotation with an overlap.
 */
@IntegrationTest
class ClientsConsoleTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "clients console passphrase 17";
    private static final Pattern SECRET = Pattern.compile("id=\"client-secret\"[^>]*value=\"([^\"]+)\"");

    private Browser admin;

    @BeforeEach
    void signInAnAdmin() {
        String email = TestUsers.uniqueEmail("clients-console");
        UUID id = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", id);
        admin = new Browser();
        admin.signIn(email, PASSWORD);
    }

    @Test
    void aFormWithManyProblemsShowsThemAllAtTheirFieldsAndKeepsTheValues() {
        String clientId = "console-bad-" + UUID.randomUUID().toString().substring(0, 8);
        Browser.Response page = admin.get("/admin/clients/new");
        assertThat(page.status()).isEqualTo(200);
        List<Map.Entry<String, String>> form = form(page.csrf(), clientId, "public",
                List.of("authorization_code", "client_credentials"),
                "http://evil.example/cb\njavascript:alert(1)\nhttps://app.example/cb#frag\nhttps://*.example/cb", "abc");
        form.add(Map.entry("displayName", "<script>alert('x')</script>"));
        Browser.Response answer = admin.postForm("/admin/clients/new", form);
        assertThat(answer.status()).isEqualTo(200);
        String body = answer.body();
        assertThat(body).contains("class=\"error-summary\"");
        String summary = body.substring(body.indexOf("error-summary"), body.indexOf("</div>", body.indexOf("error-summary")));
        assertThat(summary).contains("href=\"#grant-types-fieldset\"", "href=\"#redirectUris\"",
                "href=\"#accessTokenMinutes\"");
        assertThat(count(summary, "href=\"#redirectUris\"")).as("each bad redirect URI").isEqualTo(4);
        assertThat(body).contains("id=\"redirectUris-error\"", "id=\"accessTokenMinutes-error\"",
                "id=\"grantTypes-error\"");
        assertThat(body).containsPattern("id=\"redirectUris\"[^>]*aria-invalid=\"true\"");
        assertThat(body).contains("http://evil.example/cb", "javascript:alert(1)", "abc").contains(clientId);
        assertThat(body).doesNotContain("<script>alert").contains("&lt;script&gt;");
        assertThat(clientRows(clientId)).as("nothing written").isZero();
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE type = 'CLIENT_CHANGE_REFUSED' "
                + "AND subject = ? ORDER BY occurred_at DESC LIMIT 1", String.class, "client:" + clientId))
                .as("the refusal names the fields, not what was typed").contains("redirectUris")
                .doesNotContain("evil.example");

        // German, the same problems
        Browser.Response german = admin.postForm("/admin/clients/new?lang=de", form(admin.get("/admin/clients/new").csrf(),
                clientId, "confidential", List.of(), "", "1x"));
        assertThat(german.body()).contains("Bitte korrigieren Sie Folgendes").contains("Bitte prüfen: grant-types")
                .contains("ganze Zahl");
        assertThat(clientRows(clientId)).isZero();
    }

    @Test
    void aNewClientsSecretIsShownOnceAndNeverAgain() {
        String clientId = "console-app-" + UUID.randomUUID().toString().substring(0, 8);
        Browser.Response created = admin.postForm("/admin/clients/new", form(admin.get("/admin/clients/new").csrf(),
                clientId, "confidential", List.of("authorization_code", "refresh_token", "client_credentials"),
                "http://127.0.0.1/console-app", "10"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.header("Cache-Control")).contains("no-store");
        assertThat(created.header("Location")).isNull();
        String secret = secretOf(created);
        assertThat(created.body()).contains("id=\"secret-once\"").contains("readonly");
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);

        Browser.Response details = admin.get("/admin/clients/" + clientId);
        assertThat(details.status()).isEqualTo(200);
        assertThat(details.body()).contains(clientId).contains("10 minutes").doesNotContain(secret)
                .doesNotContain("client-secret\"");
        assertThat(admin.get("/admin/clients?q=" + clientId).body()).contains("client-row-" + clientId)
                .doesNotContain(secret);
        assertThat(admin.get("/admin/clients/" + clientId + "/edit").body()).doesNotContain(secret);
        List<byte[]> sessions = jdbc.queryForList("SELECT ATTRIBUTE_BYTES FROM SPRING_SESSION_ATTRIBUTES", byte[].class);
        assertThat(sessions).as("the secret is in no session").noneMatch(bytes -> new String(bytes,
                StandardCharsets.ISO_8859_1).contains(secret));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE details LIKE ?", Integer.class,
                "%" + secret + "%")).isZero();
    }

    @Test
    void anAdminEditsDisablesEnablesAndDeletesAClientAfterConfirming() {
        String clientId = created("console-edit-");
        Browser.Response edit = admin.get("/admin/clients/" + clientId + "/edit");
        assertThat(edit.status()).isEqualTo(200);
        assertThat(edit.body()).contains("value=\"" + clientId + "\"").contains("http://127.0.0.1/console-app");
        List<Map.Entry<String, String>> changed = form(edit.csrf(), clientId, "confidential",
                List.of("authorization_code"), "https://app.example/cb\nhttp://[::1]/cb", "PT90S");
        changed.add(Map.entry("displayName", "Renamed Ünïcødé"));
        Browser.Response saved = admin.postForm("/admin/clients/" + clientId + "/edit", changed);
        assertThat(saved.status()).as(saved.body()).isEqualTo(302);
        assertThat(saved.location()).isEqualTo(ISSUER + "/admin/clients/" + clientId + "?done=clientSaved");
        Browser.Response details = admin.get(saved.location());
        assertThat(details.body()).contains("id=\"admin-done\"").contains("Renamed Ünïcødé").contains("PT1M30S")
                .contains("https://app.example/cb")
                .doesNotContain("console-app\"");

        assertThat(admin.get("/admin/clients/" + clientId + "/edit").body()).as("kept exactly when edited again")
                .contains("value=\"PT1M30S\"");
        String csrf = details.csrf();
        assertThat(admin.postForm("/admin/clients/" + clientId + "/disable", Map.of("_csrf", csrf)).location())
                .endsWith("?done=clientDisabled");
        assertThat(admin.get("/admin/clients/" + clientId).body()).contains("id=\"disabled-note\"", "id=\"enable-client\"");
        assertThat(admin.get("/admin/clients?q=" + clientId).body()).contains("mark-disabled");
        assertThat(admin.postForm("/admin/clients/" + clientId + "/enable", Map.of("_csrf", csrf)).location())
                .endsWith("?done=clientEnabled");
        assertThat(admin.get("/admin/clients/" + clientId).body()).doesNotContain("id=\"disabled-note\"");

        Browser.Response confirm = admin.get("/admin/clients/" + clientId + "/delete");
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body()).contains("id=\"confirm-delete\"");
        assertThat(clientRows(clientId)).as("asking deletes nothing").isEqualTo(1);
        Browser.Response deleted = admin.postForm("/admin/clients/" + clientId + "/delete", Map.of("_csrf", confirm.csrf()));
        assertThat(deleted.location()).isEqualTo(ISSUER + "/admin/clients?done=clientDeleted");
        assertThat(clientRows(clientId)).isZero();
        Browser.Response gone = admin.get("/admin/clients/" + clientId);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body()).contains("id=\"client-not-found\"").doesNotContain("Exception");
    }

    @Test
    void aClientDeclaredInConfigurationIsReadOnlyAndALegacyOneFlagged() {
        Browser.Response list = admin.get("/admin/clients?q=" + CONFIDENTIAL_CLIENT);
        assertThat(list.body()).contains("client-row-" + CONFIDENTIAL_CLIENT).contains("mark-configuration");
        Browser.Response legacy = admin.get("/admin/clients?q=" + FIRST_PARTY_CLIENT);
        assertThat(legacy.body()).contains("mark-legacy").contains("id=\"legacy-explained\"");
        assertThat(admin.get("/admin/clients/" + FIRST_PARTY_CLIENT).body()).contains("id=\"legacy-note\"");

        Browser.Response details = admin.get("/admin/clients/" + CONFIDENTIAL_CLIENT);
        assertThat(details.status()).isEqualTo(200);
        assertThat(details.body()).contains("id=\"read-only-note\"").contains("latchkey.clients." + CONFIDENTIAL_CLIENT)
                .doesNotContain("id=\"edit-client\"").doesNotContain("id=\"disable-client\"")
                .doesNotContain("id=\"rotate-secret\"");
        assertThat(admin.get("/admin/clients/" + CONFIDENTIAL_CLIENT + "/edit").location())
                .isEqualTo(ISSUER + "/admin/clients/" + CONFIDENTIAL_CLIENT);
        String csrf = admin.get("/account").csrf();
        int refusals = refusals();
        for (String action : List.of("disable", "enable", "delete", "secret", "end-overlap", "edit")) {
            Browser.Response refused = admin.postForm("/admin/clients/" + CONFIDENTIAL_CLIENT + "/" + action,
                    List.of(Map.entry("_csrf", csrf), Map.entry("overlap", "1h"), Map.entry("type", "public")));
            assertThat(refused.status()).as(action).isEqualTo(409);
            assertThat(refused.body()).contains("id=\"read-only-refusal\"");
        }
        assertThat(admin.get("/admin/clients/" + CONFIDENTIAL_CLIENT).body()).doesNotContain("id=\"disabled-note\"");
        assertThat(refusals()).as("each refusal audited").isEqualTo(refusals + 6);
    }

    @Test
    void aRotationShowsTheNewSecretOnceAndTheOverlapUntilItIsEnded() {
        String clientId = created("console-rotate-");
        Browser.Response form = admin.get("/admin/clients/" + clientId + "/secret");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("id=\"overlap-none\"", "id=\"overlap-1h\"", "id=\"overlap-1d\"", "id=\"overlap-7d\"");
        Browser.Response missing = admin.postForm("/admin/clients/" + clientId + "/secret",
                List.of(Map.entry("_csrf", form.csrf()), Map.entry("overlap", "forever")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("class=\"error-summary\"");

        Browser.Response rotated = admin.postForm("/admin/clients/" + clientId + "/secret",
                List.of(Map.entry("_csrf", form.csrf()), Map.entry("overlap", "1h")));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.header("Cache-Control")).contains("no-store");
        String secret = secretOf(rotated);
        assertThat(rotated.body()).contains("id=\"overlap-note\"");
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);

        Browser.Response details = admin.get("/admin/clients/" + clientId);
        assertThat(details.body()).contains("id=\"overlap-note\"", "id=\"end-overlap\"").doesNotContain(secret);
        assertThat(admin.postForm("/admin/clients/" + clientId + "/end-overlap", Map.of("_csrf", details.csrf()))
                .location()).endsWith("?done=clientOverlapEnded");
        assertThat(admin.get("/admin/clients/" + clientId).body()).doesNotContain("id=\"end-overlap\"");
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);
    }

    @Test
    void anUnknownOrMalformedClientIsAFriendlyNotFound() {
        String csrf = admin.get("/account").csrf();
        for (String id : List.of("no-such-client", "bad%20id", "%3Cscript%3E", "a".repeat(300), "%C3%BC")) {
            Browser.Response page = admin.get("/admin/clients/" + id);
            assertThat(page.status()).as(id).isEqualTo(404);
            assertThat(page.body()).contains("id=\"client-not-found\"", "id=\"back-to-clients\"");
            assertThat(admin.postForm("/admin/clients/" + id + "/disable", Map.of("_csrf", csrf)).status()).isEqualTo(404);
        }
        for (String q : List.of("' OR 1=1 --", "%00", "<script>", "x".repeat(5000))) {
            Browser.Response list = admin.get("/admin/clients?q=" + java.net.URLEncoder.encode(q,
                    StandardCharsets.UTF_8) + "&page=99999999999");
            assertThat(list.status()).as(q).isEqualTo(200);
            assertThat(list.body()).doesNotContain("<script>");
        }
        assertThat(admin.get("/admin/clients?q=%00").status()).isEqualTo(200);
    }

    private String created(String prefix) {
        String clientId = prefix + UUID.randomUUID().toString().substring(0, 8);
        Browser.Response created = admin.postForm("/admin/clients/new", form(admin.get("/admin/clients/new").csrf(),
                clientId, "confidential", List.of("authorization_code", "client_credentials"),
                "http://127.0.0.1/console-app", ""));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(secretOf(created)).isNotBlank();
        return clientId;
    }

    /** The form as a browser sends it, with the markers of unchecked boxes. */
    private static List<Map.Entry<String, String>> form(String csrf, String clientId, String type, List<String> grants,
            String redirectUris, String accessMinutes) {
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("_csrf", csrf));
        form.add(Map.entry("clientId", clientId));
        form.add(Map.entry("type", type));
        grants.forEach(grant -> form.add(Map.entry("grantTypes", grant)));
        form.add(Map.entry("_grantTypes", "on"));
        form.add(Map.entry("redirectUris", redirectUris));
        form.add(Map.entry("postLogoutRedirectUris", ""));
        form.add(Map.entry("scopes", "openid profile"));
        form.add(Map.entry("requirePkce", "true"));
        form.add(Map.entry("_requirePkce", "on"));
        form.add(Map.entry("_requireConsent", "on"));
        form.add(Map.entry("_requireMfa", "on"));
        form.add(Map.entry("accessTokenMinutes", accessMinutes));
        form.add(Map.entry("refreshTokenDays", ""));
        form.add(Map.entry("logoUri", ""));
        return form;
    }

    private static String secretOf(Browser.Response page) {
        Matcher matcher = SECRET.matcher(page.body());
        assertThat(matcher.find()).as(page.body()).isTrue();
        return matcher.group(1);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private int refusals() {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CLIENT_CHANGE_REFUSED' AND subject = ?",
                Integer.class, "client:" + CONFIDENTIAL_CLIENT);
    }

    private int clientRows(String clientId) {
        return jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_id = ?", Integer.class,
                clientId);
    }

    private static int clientCredentials(String clientId, String secret) {
        return OAuth.post(new Browser(), "/oauth2/token", clientId, secret, OAuth.form("grant_type", "client_credentials"))
                .status();
    }
}
