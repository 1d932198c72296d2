package io.latchkey.audit;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** Hosted sign-ins, good and bad, are audited on PostgreSQL; OAuth client authentication is not a sign-in. */
@IntegrationTest
class LoginAuditTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "audit trail password 42";

    @Autowired
    AuditLog audit;

    private final Browser browser = new Browser();
    private String email;
    private UUID userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("audit");
        userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Audit User");
    }

    @Test
    void aSuccessfulLoginIsRecordedOnceWithTheUserAndClient() {
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM audit_events WHERE user_id = ?", userId);
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("type")).isEqualTo("LOGIN_SUCCEEDED");
        assertThat(row.get("client_ip")).isEqualTo("127.0.0.1");
        assertThat((String) row.get("user_agent")).isNotBlank();
        assertThat(row.get("occurred_at")).isNotNull();
        assertNoPasswordInTheTable(PASSWORD);

        List<RecordedAuditEvent> recent = audit.recent(userId, 10);
        assertThat(recent).hasSize(1);
        assertThat(recent.get(0).type()).isEqualTo(AuditEventType.LOGIN_SUCCEEDED);
        assertThat(recent.get(0).clientIp()).isEqualTo("127.0.0.1");
    }

    @Test
    void behindATrustedProxyTheClientsOwnAddressIsRecorded() {
        // the tests trust loopback as a proxy (latchkey.rate-limit.trusted-proxies)
        Browser.Response login = browser.get("/login");
        browser.postForm("/login", Map.of("username", email, "password", "not it " + UUID.randomUUID(),
                "_csrf", login.csrf()), "X-Forwarded-For", "192.0.2.1, 198.51.100.44");
        assertThat(jdbc.queryForObject("SELECT client_ip FROM audit_events WHERE subject = ? AND type = 'LOGIN_FAILED'",
                String.class, email)).isEqualTo("198.51.100.44");
    }

    @Test
    void aFailedLoginIsRecordedOnceWithTheEmailTriedAndNeverThePassword() {
        String wrongPassword = "wrong password " + UUID.randomUUID();
        String longAgent = "Audit-Test-Agent/1.0 " + "z".repeat(400);
        Browser.Response login = browser.get("/login");
        Browser.Response failed = browser.postForm("/login",
                Map.of("username", email, "password", wrongPassword, "_csrf", login.csrf()),
                "User-Agent", longAgent);
        assertThat(failed.location()).isEqualTo(ISSUER + "/login?error");

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM audit_events WHERE subject = ?", email);
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("type")).isEqualTo("LOGIN_FAILED");
        assertThat(row.get("user_id")).isNull();
        assertThat(row.get("client_ip")).isEqualTo("127.0.0.1");
        assertThat((String) row.get("user_agent")).hasSize(300).startsWith("Audit-Test-Agent/1.0 zzz");
        assertThat(row.get("details")).isEqualTo("{\"reason\":\"bad_credentials\"}");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE user_id = ?", Integer.class, userId))
                .isZero();
        assertNoPasswordInTheTable(wrongPassword);
    }

    @Test
    void anUnknownUsernameIsRecordedWithoutTheTextTypedAtEveryEntrance() {
        // people type their password into the username field: text that names no account is never stored
        String typedPassword = "my secret passphrase " + UUID.randomUUID();
        String oversized = "nobody-" + UUID.randomUUID() + "@latchkey.test" + "q".repeat(400);
        String agent = "Audit-Unknown/" + UUID.randomUUID();
        for (String typed : List.of(typedPassword, oversized)) {
            Browser.Response login = browser.get("/login");
            assertThat(browser.postForm("/login", Map.of("username", typed, "password", PASSWORD, "_csrf", login.csrf()),
                    "User-Agent", agent).location()).isEqualTo(ISSUER + "/login?error");
            assertThat(passwordGrant(typed, PASSWORD, agent).status()).isEqualTo(400);
            assertThat(apiLogin(typed, PASSWORD, agent).status()).isEqualTo(400);
        }

        // the token endpoint and the API refuse a username over 320 characters before anyone signs in with it
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM audit_events WHERE user_agent = ?", agent);
        assertThat(rows).hasSize(4).allSatisfy(row -> {
            assertThat(row.get("type")).isEqualTo("LOGIN_FAILED");
            assertThat(row.get("user_id")).isNull();
            assertThat(row.get("subject")).isNull();
            assertThat(row.get("details")).isEqualTo("{\"reason\":\"bad_credentials\",\"account\":\"unknown\"}");
        });
        assertNoPasswordInTheTable(typedPassword);
        assertNoPasswordInTheTable(oversized.substring(0, 40));
    }

    @Test
    void aKnownAccountIsRecordedByItsEmailAtEveryEntranceHoweverItWasTyped() {
        String agent = "Audit-Known/" + UUID.randomUUID();
        String typed = "  " + email.toUpperCase(java.util.Locale.ROOT) + " ";
        String wrongPassword = "wrong password " + UUID.randomUUID();
        Browser.Response login = browser.get("/login");
        browser.postForm("/login", Map.of("username", typed, "password", wrongPassword, "_csrf", login.csrf()),
                "User-Agent", agent);
        assertThat(passwordGrant(typed, wrongPassword, agent).status()).isEqualTo(400);
        assertThat(apiLogin(typed, wrongPassword, agent).status()).isEqualTo(400);

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM audit_events WHERE user_agent = ?", agent);
        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.get("type")).isEqualTo("LOGIN_FAILED");
            assertThat(row.get("subject")).isEqualTo(email);
            assertThat(row.get("details")).isEqualTo("{\"reason\":\"bad_credentials\"}");
        });
        assertNoPasswordInTheTable(wrongPassword);
    }

    @Test
    void recentListsNewestFirst() {
        browser.signIn(email, "not the password");
        browser.signIn(email, PASSWORD);
        audit.record(AuditEvent.of(AuditEventType.PASSWORD_CHANGED).user(userId).detail("via", "test"));

        List<RecordedAuditEvent> recent = audit.recent(userId, 5);
        assertThat(recent).extracting(RecordedAuditEvent::type)
                .containsExactly(AuditEventType.PASSWORD_CHANGED, AuditEventType.LOGIN_SUCCEEDED);
        assertThat(recent.get(0).occurredAt()).isAfter(recent.get(1).occurredAt());
        assertThat(recent.get(0).details()).containsExactly(Map.entry("via", "test"));
        assertThat(audit.recent(userId, 1)).extracting(RecordedAuditEvent::type)
                .containsExactly(AuditEventType.PASSWORD_CHANGED);
    }

    @Test
    void clientAuthenticationAtTheTokenEndpointIsNotALogin() {
        int before = count();
        Browser.Response good = OAuth.post(browser, "/oauth2/token", TestServerInitializer.CONFIDENTIAL_CLIENT,
                TestServerInitializer.CONFIDENTIAL_SECRET, OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(good.status()).isEqualTo(200);
        Browser.Response bad = OAuth.post(browser, "/oauth2/token", TestServerInitializer.CONFIDENTIAL_CLIENT,
                "wrong-secret-0123456789", OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(bad.status()).isEqualTo(401);
        String accessToken = OAuth.json(good).get("access_token").asString();
        browser.get("/userinfo", "Authorization", "Bearer " + accessToken);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE subject = ? "
                        + "AND type IN ('LOGIN_SUCCEEDED', 'LOGIN_FAILED')", Integer.class,
                TestServerInitializer.CONFIDENTIAL_CLIENT)).isZero();
        assertThat(count()).isEqualTo(before);
    }

    private Browser.Response passwordGrant(String username, String password, String userAgent) {
        return browser.send(HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(TestServerInitializer.FIRST_PARTY_CLIENT,
                        TestServerInitializer.FIRST_PARTY_SECRET))
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(List.of(Map.entry("grant_type", "password"),
                        Map.entry("username", username), Map.entry("password", password)))))
                .build());
    }

    private Browser.Response apiLogin(String username, String password, String userAgent) {
        ObjectNode body = JsonMapper.builder().build().createObjectNode().put("username", username)
                .put("password", password);
        return browser.send(HttpRequest.newBuilder(browser.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }

    private int count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_events", Integer.class);
    }

    private void assertNoPasswordInTheTable(String password) {
        List<Map<String, Object>> all = jdbc.queryForList("SELECT * FROM audit_events");
        assertThat(all).isNotEmpty();
        assertThat(all.toString()).doesNotContain(password);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE CAST(id AS text) LIKE ? "
                + "OR subject LIKE ? OR client_ip LIKE ? OR user_agent LIKE ? OR details LIKE ?", Integer.class,
                "%" + password + "%", "%" + password + "%", "%" + password + "%", "%" + password + "%",
                "%" + password + "%")).isZero();
    }
}
