package io.latchkey.api;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.oauth.ApiScopes;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestPasskeys;
import io.latchkey.support.TestTotp;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.PASSWORD;
import static io.latchkey.api.ApiClient.fieldMessages;
import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.api.ApiClient.token;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user administration under /api/v1/admin/users with real tokens: each operation's permission, its effect
 * (a session, consent, passkey or second factor really gone), its audit event, bad input, and the old
 * /api/v1/users paths as deprecated aliases.
 */
@IntegrationTest
class AdminUsersApiTest extends UsersInDatabaseTest {

    private static final String USERS = "/api/v1/admin/users";

    private final ApiClient api = new ApiClient();

    @Autowired
    private TotpSecondFactor totp;

    @Test
    void everyOperationNeedsThePermissionAndTheAdminScope() {
        ApiClient.User plain = ApiClient.user(jdbc, passwordEncoder, "no-perm");
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "no-scope-admin");
        ApiClient.User victim = ApiClient.user(jdbc, passwordEncoder, "perm-victim");
        String passkey = TestPasskeys.add(jdbc, victim.id(), "Victim's key");
        String target = USERS + "/" + victim.id();
        List<String[]> operations = List.of(
                new String[] { "GET", USERS }, new String[] { "GET", target },
                new String[] { "PATCH", target, "{\"enabled\":false}" }, new String[] { "DELETE", target },
                new String[] { "PUT", target + "/roles", "{\"roles\":[\"admin\",\"user\"]}" },
                new String[] { "POST", target + "/disable" }, new String[] { "POST", target + "/enable" },
                new String[] { "POST", target + "/unlock" }, new String[] { "POST", target + "/force-password-reset" },
                new String[] { "POST", target + "/reset-mail" }, new String[] { "GET", target + "/sessions" },
                new String[] { "DELETE", target + "/sessions" }, new String[] { "DELETE", target + "/sessions/abc" },
                new String[] { "GET", target + "/consents" }, new String[] { "DELETE", target + "/consents/" + CONFIDENTIAL_CLIENT },
                new String[] { "GET", target + "/passkeys" }, new String[] { "DELETE", target + "/passkeys/" + passkey },
                new String[] { "GET", target + "/second-factor" }, new String[] { "DELETE", target + "/second-factor" });
        String withoutPermission = token(plain);
        String withoutScope = token(admin, "openid " + ApiScopes.ACCOUNT);
        for (String token : List.of(withoutPermission, withoutScope)) {
            for (String[] operation : operations) {
                Browser.Response response = api.call(operation[0], operation[1], token,
                        operation.length > 2 ? operation[2] : null);
                problem(response, 403);
            }
        }
        assertThat(TestPasskeys.count(jdbc, victim.id())).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, victim.id())).isTrue();
        assertThat(jdbc.queryForList("SELECT role_name FROM user_roles WHERE user_id = ?", String.class, victim.id()))
                .containsExactly("user");
        assertThat(TestMailbox.messagesTo(victim.email())).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'ACCESS_DENIED' AND user_id = ?",
                Integer.class, plain.id())).isGreaterThanOrEqualTo(operations.size());
    }

    @Test
    void sessionsAreListedAndEndedOneOrAllAtOnce() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "sessions-admin");
        ApiClient.User henry = ApiClient.user(jdbc, passwordEncoder, "henry");
        String adminToken = token(admin);
        Browser laptop = new Browser();
        laptop.signIn(henry.email(), PASSWORD);
        Browser phone = new Browser();
        phone.signIn(henry.email(), PASSWORD);
        assertThat(laptop.get("/account").status()).isEqualTo(200);

        JsonNode sessions = OAuth.json(api.get(USERS + "/" + henry.id() + "/sessions", adminToken));
        assertThat(sessions).hasSize(2);
        sessions.forEach(session -> {
            assertThat(session.get("handle").asString()).hasSize(22);
            assertThat(session.get("ip").asString()).isNotBlank();
            assertThat(session.has("signedInAt")).isTrue();
        });
        String handle = sessions.get(0).get("handle").asString();
        assertThat(api.call("DELETE", USERS + "/" + henry.id() + "/sessions/" + handle, adminToken, null).status())
                .isEqualTo(204);
        assertThat(OAuth.json(api.get(USERS + "/" + henry.id() + "/sessions", adminToken))).hasSize(1);
        problem(api.call("DELETE", USERS + "/" + henry.id() + "/sessions/" + handle, adminToken, null), 404);
        // a handle of another user's session names nothing here
        String adminsOwn = OAuth.json(api.get(USERS + "/" + admin.id() + "/sessions", adminToken)).get(0).get("handle").asString();
        problem(api.call("DELETE", USERS + "/" + henry.id() + "/sessions/" + adminsOwn, adminToken, null), 404);
        problem(api.call("DELETE", USERS + "/" + henry.id() + "/sessions/" + "x".repeat(300), adminToken, null), 404);
        assertThat(audited(henry.id(), "USER_SESSION_REVOKED", admin.id())).isEqualTo(1);

        String henryToken = token(henry);
        assertThat(api.get("/api/v1/users/me", henryToken).status()).isEqualTo(200);
        assertThat(api.call("DELETE", USERS + "/" + henry.id() + "/sessions", adminToken, null).status()).isEqualTo(204);
        assertThat(OAuth.json(api.get(USERS + "/" + henry.id() + "/sessions", adminToken))).isEmpty();
        assertThat(laptop.get("/account").status()).as("signed out").isEqualTo(302);
        assertThat(phone.get("/account").status()).as("signed out").isEqualTo(302);
        problem(api.get("/api/v1/users/me", henryToken), 401);
        assertThat(audited(henry.id(), "USER_SESSIONS_REVOKED", admin.id())).isEqualTo(1);
        problem(api.get(USERS + "/" + UUID.randomUUID() + "/sessions", adminToken), 404);
        problem(api.call("DELETE", USERS + "/" + UUID.randomUUID() + "/sessions", adminToken, null), 404);
    }

    @Test
    void consentsAreListedAndRevoked() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "consents-admin");
        ApiClient.User iris = ApiClient.user(jdbc, passwordEncoder, "iris");
        String adminToken = token(admin);
        CodeFlow.run(new Browser(), CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile",
                "s", OAuth.randomVerifier()), iris.email(), PASSWORD);

        JsonNode consents = OAuth.json(api.get(USERS + "/" + iris.id() + "/consents", adminToken));
        assertThat(consents).hasSize(1);
        assertThat(consents.get(0).get("clientId").asString()).isEqualTo(CONFIDENTIAL_CLIENT);
        assertThat(consents.get(0).get("scopes").toString()).contains("profile");

        for (String hostile : List.of("%3Cscript%3E", "%27%20OR%201%3D1%20--", "x".repeat(300), "%C3%BC%E2%80%AE")) {
            problem(api.call("DELETE", USERS + "/" + iris.id() + "/consents/" + hostile, adminToken, null), 404);
        }
        assertThat(api.call("DELETE", USERS + "/" + iris.id() + "/consents/" + CONFIDENTIAL_CLIENT, adminToken, null)
                .status()).isEqualTo(204);
        assertThat(OAuth.json(api.get(USERS + "/" + iris.id() + "/consents", adminToken))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM oauth2_authorization_consent WHERE principal_name = ?",
                Integer.class, iris.id().toString())).isZero();
        problem(api.call("DELETE", USERS + "/" + iris.id() + "/consents/" + CONFIDENTIAL_CLIENT, adminToken, null), 404);
        assertThat(audited(iris.id(), "USER_CONSENT_REVOKED", admin.id())).isEqualTo(1);
        problem(api.get(USERS + "/" + UUID.randomUUID() + "/consents", adminToken), 404);
    }

    @Test
    void passkeysAreListedAndDeletedButNotThePasswordlessAccountsLastOne() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "passkeys-admin");
        ApiClient.User jack = ApiClient.user(jdbc, passwordEncoder, "jack");
        String adminToken = token(admin);
        String first = TestPasskeys.add(jdbc, jack.id(), "Jack's <b>laptop</b>");
        String second = TestPasskeys.add(jdbc, jack.id(), "Phone");

        JsonNode passkeys = OAuth.json(api.get(USERS + "/" + jack.id() + "/passkeys", adminToken));
        assertThat(passkeys).hasSize(2);
        List<String> ids = new ArrayList<>();
        passkeys.forEach(passkey -> ids.add(passkey.get("id").asString()));
        assertThat(ids).containsExactlyInAnyOrder(first, second);
        assertThat(passkeys.toString()).doesNotContain("public").doesNotContain("handle");

        assertThat(api.call("DELETE", USERS + "/" + jack.id() + "/passkeys/" + first, adminToken, null).status())
                .isEqualTo(204);
        assertThat(TestPasskeys.count(jdbc, jack.id())).isEqualTo(1);
        problem(api.call("DELETE", USERS + "/" + jack.id() + "/passkeys/" + first, adminToken, null), 404);
        // another user's passkey is not reachable through this user
        problem(api.call("DELETE", USERS + "/" + admin.id() + "/passkeys/" + second, adminToken, null), 404);
        for (String hostile : List.of("%3Cscript%3E", "AAAA%27--", "A".repeat(2000))) {
            problem(api.call("DELETE", USERS + "/" + jack.id() + "/passkeys/" + hostile, adminToken, null), 404);
        }
        assertThat(audited(jack.id(), "USER_PASSKEY_DELETED", admin.id())).isEqualTo(1);

        jdbc.update("UPDATE users SET password_hash = NULL WHERE id = ?", jack.id());
        JsonNode last = problem(api.call("DELETE", USERS + "/" + jack.id() + "/passkeys/" + second, adminToken, null), 400);
        assertThat(fieldMessages(last, "passkey")).containsExactly(
                "This is the last passkey of an account without a password: send a password reset mail first.");
        assertThat(TestPasskeys.count(jdbc, jack.id())).isEqualTo(1);
    }

    @Test
    void theSecondFactorIsShownAndRemoved() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "mfa-admin");
        ApiClient.User kate = ApiClient.user(jdbc, passwordEncoder, "kate");
        String adminToken = token(admin);
        assertThat(OAuth.json(api.get(USERS + "/" + kate.id() + "/second-factor", adminToken)).get("enrolled").asBoolean())
                .isFalse();
        problem(api.call("DELETE", USERS + "/" + kate.id() + "/second-factor", adminToken, null), 404);

        TestTotp.enrol(totp, kate.id());
        assertThat(OAuth.json(api.get(USERS + "/" + kate.id() + "/second-factor", adminToken)).get("enrolled").asBoolean())
                .isTrue();
        assertThat(api.call("DELETE", USERS + "/" + kate.id() + "/second-factor", adminToken, null).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM totp_factors WHERE user_id = ?", Integer.class, kate.id())).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?", Integer.class, kate.id())).isZero();
        assertThat(OAuth.json(api.get(USERS + "/" + kate.id() + "/second-factor", adminToken)).get("enrolled").asBoolean())
                .isFalse();
        assertThat(audited(kate.id(), "USER_SECOND_FACTOR_REMOVED", admin.id())).isEqualTo(1);
        assertThat(TestMailbox.subject(TestMailbox.awaitMessage(kate.email(), 1))).isNotBlank();
        problem(api.call("DELETE", USERS + "/" + UUID.randomUUID() + "/second-factor", adminToken, null), 404);
    }

    @Test
    void unlockEndsTheLockAndTheResetMailLeavesThePasswordAlone() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "unlock-admin");
        ApiClient.User liam = ApiClient.user(jdbc, passwordEncoder, "liam");
        String adminToken = token(admin);
        jdbc.update("UPDATE users SET locked = TRUE, locked_until = ? WHERE id = ?",
                Timestamp.from(Instant.now().plusSeconds(3600)), liam.id());
        assertThat(OAuth.json(api.get(USERS + "/" + liam.id(), adminToken)).get("locked").asBoolean()).isTrue();
        assertThat(api.post(USERS + "/" + liam.id() + "/unlock", adminToken, null).status()).isEqualTo(204);
        Map<String, Object> row = jdbc.queryForMap("SELECT locked, locked_until FROM users WHERE id = ?", liam.id());
        assertThat(row.get("locked")).isEqualTo(false);
        assertThat(row.get("locked_until")).isNull();
        assertThat(audited(liam.id(), "USER_UNLOCKED", admin.id())).isEqualTo(1);
        problem(api.post(USERS + "/" + UUID.randomUUID() + "/unlock", adminToken, null), 404);

        String liamToken = token(liam);
        String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, liam.id());
        assertThat(api.post(USERS + "/" + liam.id() + "/reset-mail", adminToken, null).status()).isEqualTo(202);
        assertThat(TestMailbox.link(TestMailbox.awaitMessage(liam.email(), 1), "http")).contains("/reset-password?token=");
        assertThat(jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, liam.id())).isEqualTo(hash);
        assertThat(api.get("/api/v1/users/me", liamToken).status()).as("the user's tokens stay").isEqualTo(200);
        assertThat(audited(liam.id(), "USER_RESET_MAIL_SENT", admin.id())).isEqualTo(1);
        problem(api.post(USERS + "/" + UUID.randomUUID() + "/reset-mail", adminToken, null), 404);
    }

    @Test
    void adminEventsNameTheUserAsSubjectAndTheAdminAsActorRefusalsToo() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "events-admin");
        ApiClient.User mia = ApiClient.user(jdbc, passwordEncoder, "mia");
        String adminToken = token(admin);
        assertThat(api.post(USERS + "/" + mia.id() + "/disable", adminToken, null).status()).isEqualTo(204);
        Map<String, Object> disabled = jdbc.queryForMap("SELECT subject, details FROM audit_events WHERE user_id = ? "
                + "AND type = 'ACCOUNT_DISABLED'", mia.id());
        assertThat(disabled.get("subject")).isEqualTo("user:" + mia.id());
        assertThat((String) disabled.get("details")).contains(admin.id().toString()).contains("succeeded");

        problem(api.post(USERS + "/" + admin.id() + "/disable", adminToken, null), 400);
        Map<String, Object> refused = jdbc.queryForMap("SELECT subject, details FROM audit_events WHERE user_id = ? "
                + "AND type = 'ACCOUNT_DISABLED'", admin.id());
        assertThat(refused.get("subject")).isEqualTo("user:" + admin.id());
        assertThat((String) refused.get("details")).contains("refused").contains("user.self");

        assertThat(api.call("PUT", USERS + "/" + mia.id() + "/roles", adminToken, "{\"roles\":[\"user\",\"admin\"]}")
                .status()).isEqualTo(200);
        Map<String, Object> roles = jdbc.queryForMap("SELECT subject, details FROM audit_events WHERE user_id = ? "
                + "AND type = 'ROLES_CHANGED'", mia.id());
        assertThat(roles.get("subject")).isEqualTo("user:" + mia.id());
        assertThat((String) roles.get("details")).contains("admin,user").contains(admin.id().toString());
    }

    @Test
    void badInputIsAClearProblemNeverA500() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "bad-input-admin");
        String adminToken = token(admin);
        for (String path : List.of("/not-a-uuid/sessions", "/%3Cscript%3E/passkeys", "/1%27%20OR%201%3D1/consents",
                "/" + "9".repeat(500) + "/second-factor")) {
            problem(api.get(USERS + path, adminToken), 400);
        }
        problem(api.post(USERS + "/not-a-uuid/unlock", adminToken, null), 400);
        // an encoded NUL in the path is refused by the servlet container itself, before the API sees it
        assertThat(api.call("DELETE", USERS + "/" + admin.id() + "/sessions/%00", adminToken, null).status()).isEqualTo(400);
        JsonNode roles = problem(api.call("PUT", USERS + "/" + admin.id() + "/roles", adminToken, "{\"roles\":\"admin\"}"), 400);
        assertThat(fieldMessages(roles, "roles")).isNotEmpty();
        problem(api.call("PUT", USERS + "/" + admin.id() + "/roles", adminToken, "{\"roles\":[\"adm\\u0000in\"]}"), 400);
        problem(api.call("PUT", USERS + "/" + admin.id() + "/roles", adminToken, "{not json"), 400);
        assertThat(jdbc.queryForList("SELECT role_name FROM user_roles WHERE user_id = ? ORDER BY role_name", String.class,
                admin.id())).containsExactly("admin", "user");
    }

    @Test
    void theOldPathsAnswerTheSameWithDeprecationHeaders() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "alias-admin");
        ApiClient.User nora = ApiClient.user(jdbc, passwordEncoder, "nora");
        String adminToken = token(admin);

        Browser.Response current = api.get(USERS + "/" + nora.id(), adminToken);
        Browser.Response old = api.get("/api/v1/users/" + nora.id(), adminToken);
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.body()).isEqualTo(current.body());
        assertThat(old.header("Deprecation")).isEqualTo("true");
        assertThat(old.header("Link")).isEqualTo("</api/v1/admin/users/" + nora.id() + ">; rel=\"successor-version\"");
        assertThat(current.header("Deprecation")).isNull();

        Browser.Response search = api.get("/api/v1/users?q=" + nora.email(), adminToken);
        assertThat(search.body()).isEqualTo(api.get(USERS + "?q=" + nora.email(), adminToken).body());
        assertThat(search.header("Link")).isEqualTo("</api/v1/admin/users>; rel=\"successor-version\"");

        Browser.Response disable = api.post("/api/v1/users/" + nora.id() + "/disable", adminToken, null);
        assertThat(disable.status()).isEqualTo(204);
        assertThat(disable.header("Deprecation")).isEqualTo("true");
        assertThat(disable.header("Link")).isEqualTo("</api/v1/admin/users/" + nora.id() + "/disable>; rel=\"successor-version\"");
        assertThat(jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, nora.id())).isFalse();

        // refusals on the old paths say so too; the caller's own account is not an old admin path
        Browser.Response refused = api.get("/api/v1/users/" + nora.id(), token(ApiClient.user(jdbc, passwordEncoder, "alias-plain")));
        problem(refused, 403);
        assertThat(refused.header("Deprecation")).isEqualTo("true");
        Browser.Response me = api.get("/api/v1/users/me", adminToken);
        assertThat(me.status()).isEqualTo(200);
        assertThat(OAuth.json(me).get("id").asString()).isEqualTo(admin.id().toString());
        assertThat(me.header("Deprecation")).isNull();
        assertThat(me.header("Link")).isNull();
        assertThat(api.post("/api/v1/users/me/password", adminToken, "{}").header("Deprecation")).isNull();
        assertThat(api.post("/api/v1/users/me/unlock", adminToken, null).status()).as("no admin operation hides under me")
                .isNotEqualTo(204);
    }

    @Test
    void theOpenApiDescriptionMarksTheOldPathsDeprecated() {
        JsonNode doc = OAuth.json(new Browser().get("/api/docs/openapi.json", "Accept", "application/json"));
        JsonNode paths = doc.get("paths");
        assertThat(paths.get("/api/v1/users/{id}").get("get").get("deprecated").asBoolean()).isTrue();
        assertThat(paths.get("/api/v1/users").get("get").get("deprecated").asBoolean()).isTrue();
        assertThat(paths.get("/api/v1/admin/users/{id}").get("get").has("deprecated")).isFalse();
        assertThat(paths.get("/api/v1/users/me").get("get").has("deprecated")).isFalse();
        for (String path : List.of("/api/v1/admin/users/{id}/unlock", "/api/v1/admin/users/{id}/sessions",
                "/api/v1/admin/users/{id}/sessions/{handle}", "/api/v1/admin/users/{id}/consents/{clientId}",
                "/api/v1/admin/users/{id}/passkeys/{passkeyId}", "/api/v1/admin/users/{id}/second-factor",
                "/api/v1/admin/users/{id}/reset-mail", "/api/v1/admin/roles", "/api/v1/admin/roles/{name}/permissions",
                "/api/v1/admin/permissions")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
    }

    private int audited(UUID user, String type, UUID actor) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND type = ? AND subject = ? "
                + "AND details LIKE ? AND details LIKE '%succeeded%'", Integer.class, user, type, "user:" + user,
                "%" + actor + "%");
    }
}
