package io.latchkey.admin.users;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.account.Permissions;
import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestPasskeys;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's users and roles over HTTP: list, search and a user's page; each change done through its form really
 * changes the account (a session ended is signed out, a passkey deleted is gone); the rules shown on the page; roles
 * created, edited and deleted, with the role admin keeping every permission.
 */
@IntegrationTest
class UsersAndRolesConsoleTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "users console passphrase 77";
    private static final Pattern SESSION_HANDLE = Pattern.compile("id=\"end-session-([A-Za-z0-9_-]{22})\"");

    @Autowired
    private TotpSecondFactor totp;

    @Test
    void theListSearchesAndPagesAndLinksToEachUser() {
        Browser admin = signedInAdmin("list-admin").browser();
        String tag = "zq" + UUID.randomUUID().toString().substring(0, 6);
        List<UUID> tagged = new ArrayList<>();
        // one hash for all: each bcrypt hash takes a good fraction of a second, and these users never sign in
        String hash = passwordEncoder.encode(PASSWORD);
        for (int i = 0; i < 27; i++) {
            tagged.add(TestUsers.createWithHash(jdbc, TestUsers.uniqueEmail(tag + "-" + i), hash, null));
        }
        Browser.Response first = admin.get("/admin/users?q=" + tag.toUpperCase(Locale.ROOT));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("27 users").contains("id=\"next-page\"").doesNotContain("id=\"previous-page\"");
        assertThat(count(first.body(), "<tr id=\"user-")).isEqualTo(UsersConsoleController.PAGE_SIZE);
        Browser.Response second = admin.get("/admin/users?q=" + tag + "&page=1");
        assertThat(count(second.body(), "<tr id=\"user-")).isEqualTo(2);
        assertThat(second.body()).contains("id=\"previous-page\"").doesNotContain("id=\"next-page\"");
        for (UUID user : tagged) {
            String link = "href=\"/admin/users/" + user + "\"";
            assertThat(first.body().contains(link) ^ second.body().contains(link)).as("on exactly one page").isTrue();
        }

        Browser.Response none = admin.get("/admin/users?q=%27%20OR%201%3D1%20--");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).contains("No users");
        Browser.Response script = admin.get("/admin/users?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertThat(script.body()).doesNotContain("<script>alert(1)").contains("&lt;script&gt;");
        Browser.Response control = admin.get("/admin/users?q=a%01b");
        assertThat(control.status()).isEqualTo(400);
        assertThat(control.body()).contains("id=\"user-search-error\"").contains("aria-invalid=\"true\"");
        assertThat(admin.get("/admin/users?page=-3").status()).isEqualTo(200);
        assertThat(admin.get("/admin/users?page=abc").status()).isEqualTo(200);
    }

    @Test
    void aUsersPageShowsTheAccountAndAnUnknownOrMalformedIdIsAFriendly404() {
        Admin admin = signedInAdmin("page-admin");
        String email = TestUsers.uniqueEmail("paula");
        UUID paula = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Paula <b>P</b>");
        Browser.Response page = admin.browser().get("/admin/users/" + paula);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(email).contains("Paula &lt;b&gt;P&lt;/b&gt;").contains("id=\"disable-user\"")
                .contains("id=\"role-admin\"").contains("No active sessions.").contains("No passkeys.")
                .contains("No second factor is set up.");
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid", "%3Cscript%3E", "1%27%20OR%201%3D1")) {
            Browser.Response missing = admin.browser().get("/admin/users/" + id);
            assertThat(missing.status()).as(id).isEqualTo(404);
            assertThat(missing.body()).contains("There is no such user").contains("id=\"back-to-list\"")
                    .doesNotContain("<script>").doesNotContain("Exception");
        }
        Browser.Response german = admin.browser().get("/admin/users/" + UUID.randomUUID() + "?lang=de");
        assertThat(german.body()).contains("Diesen Benutzer gibt es nicht");
        Browser.Response post = post(admin.browser(), "/admin/users/" + UUID.randomUUID() + "/disable", Map.of());
        assertThat(post.status()).isEqualTo(404);
    }

    @Test
    void disablingEnablingUnlockingRolesAndTheResetMailWorkAndTheSelfRulesShowOnThePage() {
        Admin admin = signedInAdmin("account-admin");
        String email = TestUsers.uniqueEmail("quinn");
        UUID quinn = createUser(email, PASSWORD);
        Browser quinnsBrowser = new Browser();
        quinnsBrowser.signIn(email, PASSWORD);
        String base = "/admin/users/" + quinn;

        assertDone(post(admin.browser(), base + "/disable", Map.of()), quinn, "userDisabled");
        assertThat(enabled(quinn)).isFalse();
        assertThat(quinnsBrowser.get("/account").status()).as("disabling signs out").isEqualTo(302);
        assertDone(post(admin.browser(), base + "/enable", Map.of()), quinn, "userEnabled");
        assertThat(enabled(quinn)).isTrue();

        jdbc.update("UPDATE users SET locked_until = ? WHERE id = ?", Timestamp.from(Instant.now().plusSeconds(600)), quinn);
        assertThat(admin.browser().get(base).body()).contains("id=\"unlock-user\"");
        assertDone(post(admin.browser(), base + "/unlock", Map.of()), quinn, "userUnlocked");
        assertThat(jdbc.queryForObject("SELECT locked_until FROM users WHERE id = ?", Timestamp.class, quinn)).isNull();

        String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, quinn);
        assertDone(post(admin.browser(), base + "/reset-mail", Map.of()), quinn, "userResetMailSent");
        assertThat(TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/reset-password?token=")).isNotBlank();
        assertThat(jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, quinn)).isEqualTo(hash);

        Browser.Response roles = post(admin.browser(), base + "/roles", List.of(Map.entry("roles", "admin"),
                Map.entry("roles", "user")));
        assertDone(roles, quinn, "userRolesSaved");
        assertThat(roles(quinn)).containsExactly("admin", "user");
        Browser.Response unknownRole = post(admin.browser(), base + "/roles", List.of(Map.entry("roles", "<script>")));
        assertThat(unknownRole.status()).isEqualTo(400);
        assertThat(unknownRole.body()).contains("There is no such role.").doesNotContain("<script>");
        assertThat(roles(quinn)).containsExactly("admin", "user");

        // nobody disables, deletes or takes admin from themselves: the page says so, nothing changes
        String self = "/admin/users/" + admin.id();
        for (Browser.Response refused : List.of(post(admin.browser(), self + "/disable", Map.of()),
                post(admin.browser(), self + "/delete", Map.of()),
                post(admin.browser(), self + "/roles", List.of(Map.entry("roles", "user"))))) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("id=\"admin-error\"").contains("You cannot do this to your own account.");
        }
        assertThat(enabled(admin.id())).isTrue();
        assertThat(roles(admin.id())).containsExactly("admin", "user");
        assertThat(admin.browser().get(self).body()).doesNotContain("id=\"disable-user\"").doesNotContain("id=\"delete-user\"");

        assertThat(post(admin.browser(), base + "/delete", Map.of()).location()).isEqualTo(ISSUER + "/admin/users?done=userDeleted");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE id = ?", Integer.class, quinn)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'ACCOUNT_DELETED' AND subject = ? "
                + "AND details LIKE ?", Integer.class, "user:" + quinn, "%" + admin.id() + "%")).isEqualTo(1);
    }

    @Test
    void eachRevocationReallyRevokes() {
        Admin admin = signedInAdmin("revoking-admin");
        String email = TestUsers.uniqueEmail("rita");
        UUID rita = createUser(email, PASSWORD);
        String base = "/admin/users/" + rita;
        Browser laptop = new Browser();
        laptop.signIn(email, PASSWORD);
        Browser phone = new Browser();
        phone.signIn(email, PASSWORD);
        Browser app = new Browser();
        CodeFlow.run(app, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile",
                "s", OAuth.randomVerifier()), email, PASSWORD);
        List<Browser> browsers = List.of(laptop, phone, app);
        String passkey = TestPasskeys.add(jdbc, rita, "Rita's security key");
        TestTotp.enrol(totp, rita);

        Browser.Response page = admin.browser().get(base);
        assertThat(page.body()).contains("Rita&#39;s security key").contains(CONFIDENTIAL_CLIENT)
                .contains("An authenticator app is set up.");
        List<String> handles = handles(page.body());
        assertThat(handles).hasSizeGreaterThanOrEqualTo(2);

        // one session: that browser is signed out, the others not
        assertThat(browsers).allMatch(browser -> browser.get("/account").status() == 200);
        assertDone(post(admin.browser(), base + "/sessions/end", Map.of("session", handles.get(0))), rita, "userSessionEnded");
        assertThat(browsers.stream().filter(browser -> browser.get("/account").status() == 302).count()).isEqualTo(1);
        assertThat(handles(admin.browser().get(base).body())).hasSize(handles.size() - 1).doesNotContain(handles.get(0));
        Browser.Response stale = post(admin.browser(), base + "/sessions/end", Map.of("session", handles.get(0)));
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.body()).contains("This session has ended already.");
        assertThat(post(admin.browser(), base + "/sessions/end", Map.of("session", "x".repeat(500))).status()).isEqualTo(400);

        assertDone(post(admin.browser(), base + "/sessions/end-all", Map.of()), rita, "userSessionsEnded");
        assertThat(browsers).allMatch(browser -> browser.get("/account").status() == 302);
        assertThat(handles(admin.browser().get(base).body())).isEmpty();

        assertDone(post(admin.browser(), base + "/consents/revoke", Map.of("client", CONFIDENTIAL_CLIENT)), rita,
                "userConsentRevoked");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM oauth2_authorization_consent WHERE principal_name = ?",
                Integer.class, rita.toString())).isZero();
        Browser.Response again = post(admin.browser(), base + "/consents/revoke", Map.of("client", CONFIDENTIAL_CLIENT));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("This application is not connected any more.");

        assertDone(post(admin.browser(), base + "/passkeys/delete", Map.of("passkey", passkey)), rita, "userPasskeyDeleted");
        assertThat(TestPasskeys.count(jdbc, rita)).isZero();
        assertThat(admin.browser().get(base).body()).doesNotContain("Rita&#39;s security key").contains("No passkeys.");
        assertThat(post(admin.browser(), base + "/passkeys/delete", Map.of("passkey", "<script>")).status()).isEqualTo(400);

        assertDone(post(admin.browser(), base + "/second-factor/remove", Map.of()), rita, "userSecondFactorRemoved");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM totp_factors WHERE user_id = ?", Integer.class, rita)).isZero();
        assertThat(admin.browser().get(base).body()).contains("No second factor is set up.");

        for (String type : List.of("USER_SESSION_REVOKED", "USER_SESSIONS_REVOKED", "USER_CONSENT_REVOKED",
                "USER_PASSKEY_DELETED", "USER_SECOND_FACTOR_REMOVED")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = ? AND subject = ? AND details "
                    + "LIKE ? AND details LIKE '%succeeded%'", Integer.class, type, "user:" + rita, "%" + admin.id() + "%"))
                    .as(type).isPositive();
        }
    }

    @Test
    void rolesAreCreatedEditedAndDeletedAndTheAdminRoleKeepsItsPermissions() {
        Admin admin = signedInAdmin("roles-console-admin");
        Browser browser = admin.browser();
        String name = "editors-" + UUID.randomUUID().toString().substring(0, 6);
        Browser.Response page = browser.get("/admin/roles");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"role-admin\"").contains("id=\"create-role\"")
                .doesNotContain("id=\"delete-role-admin\"").doesNotContain("id=\"delete-role-user\"");

        Browser.Response invalid = post(browser, "/admin/roles", List.of(Map.entry("name", "Bad Name<script>"),
                Map.entry("description", "kept text"), Map.entry("permissions", "users:read")));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).contains("class=\"error-summary\"").contains("id=\"role-name-error\"")
                .contains("aria-invalid=\"true\"").contains("value=\"Bad Name&lt;script&gt;\"").contains("value=\"kept text\"")
                .doesNotContain("<script>");
        Browser.Response hostilePermission = post(browser, "/admin/roles", List.of(Map.entry("name", name),
                Map.entry("permissions", "users:read'; DROP TABLE roles; --")));
        assertThat(hostilePermission.status()).isEqualTo(400);
        assertThat(hostilePermission.body()).contains("There is no such permission.");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM roles WHERE name = ?", Integer.class, name)).isZero();

        Browser.Response created = post(browser, "/admin/roles", List.of(Map.entry("name", name),
                Map.entry("description", "Edits things"), Map.entry("permissions", "users:read"),
                Map.entry("permissions", "clients:read")));
        assertThat(created.location()).isEqualTo(ISSUER + "/admin/roles?done=roleCreated");
        assertThat(permissionsOf(name)).containsExactly("clients:read", "users:read");
        assertThat(browser.get("/admin/roles?done=roleCreated").body()).contains("id=\"role-" + name + "\"")
                .contains("The role is created.");
        Browser.Response duplicate = post(browser, "/admin/roles", List.of(Map.entry("name", name)));
        assertThat(duplicate.body()).contains("There is a role with this name already.");

        Browser.Response edited = post(browser, "/admin/roles/" + name + "/permissions",
                List.of(Map.entry("permissions", "keys:read"), Map.entry("permissions", "audit:read")));
        assertThat(edited.location()).startsWith(ISSUER + "/admin/roles?done=rolePermissionsSaved");
        assertThat(permissionsOf(name)).containsExactly("audit:read", "keys:read");

        List<Map.Entry<String, String>> allButOne = new ArrayList<>();
        Permissions.ALL.stream().skip(1).forEach(permission -> allButOne.add(Map.entry("permissions", permission)));
        Browser.Response kept = post(browser, "/admin/roles/admin/permissions", allButOne);
        assertThat(kept.status()).isEqualTo(400);
        assertThat(kept.body()).contains("id=\"role-error-admin\"")
                .contains("The role admin keeps every permission, so that someone can always do everything.");
        assertThat(permissionsOf("admin")).containsExactlyInAnyOrderElementsOf(Permissions.ALL);
        assertThat(post(browser, "/admin/roles/admin/delete", Map.of()).status()).isEqualTo(400);
        assertThat(post(browser, "/admin/roles/no-such-role/delete", Map.of()).status()).isEqualTo(404);
        assertThat(post(browser, "/admin/roles/%3Cscript%3E/permissions", Map.of()).status()).isEqualTo(404);

        Browser.Response deleted = post(browser, "/admin/roles/" + name + "/delete", Map.of());
        assertThat(deleted.location()).isEqualTo(ISSUER + "/admin/roles?done=roleDeleted");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM roles WHERE name = ?", Integer.class, name)).isZero();
        assertThat(browser.get("/admin/roles?lang=de").body()).contains("Rollen und Berechtigungen");
    }

    @Test
    void aReaderSeesThePagesWithoutFormsAndIsRefusedEveryChange() {
        String readers = "readers-" + UUID.randomUUID().toString().substring(0, 6);
        jdbc.update("INSERT INTO roles (name) VALUES (?)", readers);
        jdbc.update("INSERT INTO role_permissions (role_name, permission) VALUES (?, 'users:read'), (?, 'roles:read')",
                readers, readers);
        String email = TestUsers.uniqueEmail("reader");
        UUID reader = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", reader, readers);
        UUID victim = createUser(TestUsers.uniqueEmail("victim"), PASSWORD);
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);

        Browser.Response user = browser.get("/admin/users/" + victim);
        assertThat(user.status()).isEqualTo(200);
        assertThat(user.body()).doesNotContain("id=\"disable-user\"").doesNotContain("id=\"save-roles\"")
                .doesNotContain("id=\"end-all-sessions\"");
        Browser.Response roles = browser.get("/admin/roles");
        assertThat(roles.status()).isEqualTo(200);
        assertThat(roles.body()).doesNotContain("id=\"create-role\"").doesNotContain("id=\"save-permissions-admin\"");

        assertThat(post(browser, "/admin/users/" + victim + "/disable", Map.of()).status()).isEqualTo(403);
        assertThat(post(browser, "/admin/roles/" + readers + "/permissions", List.of(Map.entry("permissions",
                "users:write"))).status()).isEqualTo(403);
        assertThat(enabled(victim)).isTrue();
        assertThat(permissionsOf(readers)).containsExactly("roles:read", "users:read");
    }

    private record Admin(UUID id, Browser browser) {
    }

    private Admin signedInAdmin(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        UUID id = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", id);
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        return new Admin(id, browser);
    }

    private static Browser.Response post(Browser browser, String path, Map<String, String> form) {
        return post(browser, path, new ArrayList<>(form.entrySet()));
    }

    private static Browser.Response post(Browser browser, String path, List<Map.Entry<String, String>> form) {
        List<Map.Entry<String, String>> withToken = new ArrayList<>(form);
        withToken.add(Map.entry("_csrf", browser.get("/account").csrf()));
        return browser.postForm(path, withToken);
    }

    private static void assertDone(Browser.Response response, UUID user, String done) {
        assertThat(response.status()).as(response.body()).isEqualTo(302);
        assertThat(response.location()).isEqualTo(ISSUER + "/admin/users/" + user + "?done=" + done);
    }

    private static List<String> handles(String page) {
        List<String> handles = new ArrayList<>();
        Matcher matcher = SESSION_HANDLE.matcher(page);
        while (matcher.find()) {
            handles.add(matcher.group(1));
        }
        return handles;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private boolean enabled(UUID id) {
        return jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, id);
    }

    private List<String> roles(UUID id) {
        return jdbc.queryForList("SELECT role_name FROM user_roles WHERE user_id = ? ORDER BY role_name", String.class, id);
    }

    private List<String> permissionsOf(String role) {
        return jdbc.queryForList("SELECT permission FROM role_permissions WHERE role_name = ? ORDER BY permission",
                String.class, role);
    }
}
