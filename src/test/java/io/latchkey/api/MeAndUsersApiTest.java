package io.latchkey.api;

import java.util.List;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.PASSWORD;
import static io.latchkey.api.ApiClient.fieldMessages;
import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.api.ApiClient.token;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** /api/v1/users/me and the admin /api/v1/users endpoints, with real access tokens from the code flow. */
@IntegrationTest
class MeAndUsersApiTest extends UsersInDatabaseTest {

    private final ApiClient api = new ApiClient();

    @Test
    void withoutAValidTokenEverythingButTheAuthEndpointsIs401Problem() {
        for (String token : new String[] { null, "not-a-jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "' OR 1=1 --" }) {
            for (String path : List.of("/api/v1/users/me", "/api/v1/users", "/api/v1/users/" + UUID.randomUUID())) {
                Browser.Response response = api.get(path, token);
                problem(response, 401);
                assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
                assertThat(response.header("Set-Cookie")).isNull();
            }
        }
        // a client_credentials token is a valid Latchkey token, but has no user
        Browser.Response cc = OAuth.post(new Browser(), "/oauth2/token", io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT,
                io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET, OAuth.form("grant_type", "client_credentials"));
        problem(api.get("/api/v1/users/me", OAuth.json(cc).get("access_token").asString()), 401);
    }

    @Test
    void meShowsAndChangesOnlyTheTokensOwnUser() {
        ApiClient.User alice = ApiClient.user(jdbc, passwordEncoder, "alice");
        ApiClient.User bob = ApiClient.user(jdbc, passwordEncoder, "bob");
        String token = token(alice);

        Browser.Response me = api.get("/api/v1/users/me", token);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.header("Content-Type")).startsWith("application/json");
        assertThat(me.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(me.header("Cache-Control")).contains("no-store");
        JsonNode body = OAuth.json(me);
        assertThat(body.get("id").asString()).isEqualTo(alice.id().toString());
        assertThat(body.get("email").asString()).isEqualTo(alice.email());
        assertThat(body.get("emailVerified").asBoolean()).isTrue();
        assertThat(body.get("name").asString()).isEqualTo("Name of alice");
        assertThat(body.get("roles").toString()).isEqualTo("[\"user\"]");

        // unknown fields are ignored: nothing in the body can name another user or grant a role
        Browser.Response patched = api.call("PATCH", "/api/v1/users/me", token,
                "{\"name\":\"Alice Ünïcødé 😀\",\"id\":\"" + bob.id() + "\",\"roles\":[\"admin\"],\"email\":\"x@y.z\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(OAuth.json(patched).get("name").asString()).isEqualTo("Alice Ünïcødé 😀");
        assertThat(name(alice.id())).isEqualTo("Alice Ünïcødé 😀");
        assertThat(name(bob.id())).isEqualTo("Name of bob");
        assertThat(roles(alice.id())).containsExactly("user");
        assertThat(jdbc.queryForObject("SELECT email FROM users WHERE id = ?", String.class, alice.id())).isEqualTo(alice.email());

        assertThat(api.call("PATCH", "/api/v1/users/me", token, "{\"name\":\"\"}").status()).isEqualTo(200);
        assertThat(name(alice.id())).isNull();

        // another user's id is not reachable without the permission
        problem(api.get("/api/v1/users/" + bob.id(), token), 403);
        problem(api.call("PATCH", "/api/v1/users/" + bob.id(), token, "{\"name\":\"pwned\"}"), 403);
        assertThat(name(bob.id())).isEqualTo("Name of bob");
    }

    @Test
    void meValidatesEveryField() {
        ApiClient.User carol = ApiClient.user(jdbc, passwordEncoder, "carol");
        String token = token(carol);
        JsonNode tooLong = problem(api.call("PATCH", "/api/v1/users/me", token, "{\"name\":\"" + "n".repeat(201) + "\"}"), 400);
        assertThat(fieldMessages(tooLong, "name")).containsExactly("The name is too long.");
        JsonNode nul = problem(api.call("PATCH", "/api/v1/users/me", token, "{\"name\":\"Eve\\u0000\"}"), 400);
        assertThat(fieldMessages(nul, "name")).containsExactly("The name contains characters that are not allowed.");
        JsonNode missing = problem(api.call("PATCH", "/api/v1/users/me", token, "{}"), 400);
        assertThat(fieldMessages(missing, "name")).containsExactly("This field is required.");
        JsonNode wrongType = problem(api.call("PATCH", "/api/v1/users/me", token, "{\"name\":{\"a\":1}}"), 400);
        assertThat(fieldMessages(wrongType, "name")).containsExactly("This value is not valid.");
        JsonNode german = problem(api.call("PATCH", "/api/v1/users/me", token, "{}"), 400);
        assertThat(german.get("errors")).hasSize(1);
        assertThat(name(carol.id())).isEqualTo("Name of carol");
    }

    @Test
    void passwordChangeNeedsTheCurrentPasswordAndFollowsThePolicy() {
        ApiClient.User dave = ApiClient.user(jdbc, passwordEncoder, "dave");
        String token = token(dave);
        String hash = hash(dave.id());
        JsonNode wrong = problem(api.post("/api/v1/users/me/password", token,
                "{\"currentPassword\":\"wrong\",\"newPassword\":\"another long passphrase 1\"}"), 400);
        assertThat(fieldMessages(wrong, "currentPassword")).containsExactly("The current password is not right.");
        JsonNode shortOne = problem(api.post("/api/v1/users/me/password", token,
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"short\"}"), 400);
        assertThat(fieldMessages(shortOne, "newPassword")).containsExactly("The password is too short.");
        JsonNode common = problem(api.post("/api/v1/users/me/password", token,
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"password12345\"}"), 400);
        assertThat(fieldMessages(common, "newPassword")).containsExactly(
                "This password is too common. Choose one that is harder to guess.");
        JsonNode missing = problem(api.post("/api/v1/users/me/password", token, "{\"newPassword\":\"x\"}"), 400);
        assertThat(fieldMessages(missing, "currentPassword")).containsExactly("This field is required.");
        assertThat(hash(dave.id())).isEqualTo(hash);

        Browser.Response changed = api.post("/api/v1/users/me/password", token,
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"another long passphrase 1\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertThat(passwordEncoder.matches("another long passphrase 1", hash(dave.id()))).isTrue();
        assertThat(events(dave.id(), "PASSWORD_CHANGED")).isEqualTo(1);
    }

    @Test
    void aUserWithoutThePermissionIsDeniedEveryAdminOperationAndTheDenialIsAudited() {
        ApiClient.User erin = ApiClient.user(jdbc, passwordEncoder, "erin");
        ApiClient.User victim = ApiClient.user(jdbc, passwordEncoder, "victim");
        String token = token(erin);
        String target = "/api/v1/users/" + victim.id();
        List<Browser.Response> responses = List.of(
                api.get("/api/v1/users", token),
                api.get("/api/v1/users?q=victim", token),
                api.get(target, token),
                api.call("PATCH", target, token, "{\"enabled\":false}"),
                api.call("DELETE", target, token, null),
                api.call("PUT", target + "/roles", token, "{\"roles\":[\"admin\"]}"),
                api.post(target + "/disable", token, null),
                api.post(target + "/enable", token, null),
                api.post(target + "/force-password-reset", token, null),
                api.call("PUT", "/api/v1/users/" + erin.id() + "/roles", token, "{\"roles\":[\"admin\",\"user\"]}"));
        for (Browser.Response response : responses) {
            problem(response, 403);
        }
        assertThat(roles(erin.id())).containsExactly("user");
        assertThat(roles(victim.id())).containsExactly("user");
        assertThat(enabled(victim.id())).isTrue();
        assertThat(events(erin.id(), "ACCESS_DENIED")).isEqualTo(responses.size());
        assertThat(jdbc.queryForList("SELECT subject FROM audit_events WHERE user_id = ? AND type = 'ACCESS_DENIED'",
                String.class, erin.id())).contains("GET /api/v1/users", "DELETE " + target);
        assertThat(jdbc.queryForList("SELECT details FROM audit_events WHERE user_id = ? AND type = 'ACCESS_DENIED'",
                String.class, erin.id())).anyMatch(details -> details.contains(target + "/disable"));
    }

    @Test
    void anAdminSearchesReadsChangesAndDeletesUsers() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "root");
        ApiClient.User frank = ApiClient.user(jdbc, passwordEncoder, "frank");
        String token = token(admin);

        JsonNode found = OAuth.json(api.get("/api/v1/users?q=" + frank.email().substring(0, 14).toUpperCase() + "&size=5", token));
        assertThat(found.get("items")).hasSize(1);
        assertThat(found.get("items").get(0).get("id").asString()).isEqualTo(frank.id().toString());
        assertThat(found.get("total").asLong()).isEqualTo(1);
        assertThat(found.get("size").asInt()).isEqualTo(5);

        JsonNode all = OAuth.json(api.get("/api/v1/users?size=1000&page=0", token));
        assertThat(all.get("size").asInt()).isEqualTo(100);
        assertThat(all.get("total").asLong()).isGreaterThanOrEqualTo(3);
        JsonNode wildcards = OAuth.json(api.get("/api/v1/users?q=%25_%25", token));
        assertThat(wildcards.get("total").asLong()).isZero();
        JsonNode sql = OAuth.json(api.get("/api/v1/users?q=%27%20OR%201%3D1%20--", token));
        assertThat(sql.get("total").asLong()).isZero();

        JsonNode one = OAuth.json(api.get("/api/v1/users/" + frank.id(), token));
        assertThat(one.get("email").asString()).isEqualTo(frank.email());
        assertThat(one.get("enabled").asBoolean()).isTrue();
        problem(api.get("/api/v1/users/" + UUID.randomUUID(), token), 404);

        JsonNode patched = OAuth.json(api.call("PATCH", "/api/v1/users/" + frank.id(), token, "{\"name\":\"Frank F.\"}"));
        assertThat(patched.get("name").asString()).isEqualTo("Frank F.");
        assertThat(patched.get("enabled").asBoolean()).isTrue();

        // a role change applies to the next request with the same token
        String frankToken = token(frank);
        problem(api.get("/api/v1/users", frankToken), 403);
        Browser.Response roles = api.call("PUT", "/api/v1/users/" + frank.id() + "/roles", token,
                "{\"roles\":[\"admin\",\"user\",\"admin\"]}");
        assertThat(roles.status()).as(roles.body()).isEqualTo(200);
        assertThat(roles(frank.id())).containsExactly("admin", "user");
        assertThat(api.get("/api/v1/users", frankToken).status()).isEqualTo(200);
        assertThat(api.call("PUT", "/api/v1/users/" + frank.id() + "/roles", token, "{\"roles\":[\"user\"]}").status())
                .isEqualTo(200);
        problem(api.get("/api/v1/users", frankToken), 403);

        JsonNode unknown = problem(api.call("PUT", "/api/v1/users/" + frank.id() + "/roles", token,
                "{\"roles\":[\"superuser\"]}"), 400);
        assertThat(fieldMessages(unknown, "roles")).containsExactly("There is no such role.");
        JsonNode self = problem(api.call("PUT", "/api/v1/users/" + admin.id() + "/roles", token, "{\"roles\":[\"user\"]}"), 400);
        assertThat(fieldMessages(self, "roles")).containsExactly("You cannot do this to your own account.");
        assertThat(roles(frank.id())).containsExactly("user");

        // disabling ends the user's tokens at once; enabling lets them sign in again
        assertThat(api.post("/api/v1/users/" + frank.id() + "/disable", token, null).status()).isEqualTo(204);
        assertThat(enabled(frank.id())).isFalse();
        problem(api.get("/api/v1/users/me", frankToken), 401);
        problem(api.post("/api/v1/users/" + admin.id() + "/disable", token, null), 400);
        assertThat(api.post("/api/v1/users/" + frank.id() + "/enable", token, null).status()).isEqualTo(204);
        assertThat(enabled(frank.id())).isTrue();
        JsonNode disabledByPatch = OAuth.json(api.call("PATCH", "/api/v1/users/" + frank.id(), token, "{\"enabled\":false}"));
        assertThat(disabledByPatch.get("enabled").asBoolean()).isFalse();
        assertThat(api.call("PATCH", "/api/v1/users/" + frank.id(), token, "{\"enabled\":true}").status()).isEqualTo(200);
        problem(api.post("/api/v1/users/" + UUID.randomUUID() + "/enable", token, null), 404);

        assertThat(api.call("DELETE", "/api/v1/users/" + frank.id(), token, null).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE id = ?", Integer.class, frank.id())).isZero();
        problem(api.call("DELETE", "/api/v1/users/" + frank.id(), token, null), 404);
        problem(api.call("DELETE", "/api/v1/users/" + admin.id(), token, null), 400);
        problem(api.get("/api/v1/users/not-a-uuid", token), 400);
        problem(api.get("/api/v1/users?page=-1", token), 400);
        problem(api.get("/api/v1/users?size=abc", token), 400);
        problem(api.get("/api/v1/users?q=%00", token), 400);
        assertThat(events(admin.id(), "ACCESS_DENIED")).isZero();
    }

    @Test
    void forcePasswordResetMailsALinkAndRevokesTheUsersTokens() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "root2");
        ApiClient.User grace = ApiClient.user(jdbc, passwordEncoder, "grace");
        String adminToken = token(admin);
        String graceToken = token(grace);
        assertThat(api.get("/api/v1/users/me", graceToken).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorizations WHERE principal_name = ?", Integer.class,
                grace.id().toString())).isPositive();

        assertThat(api.post("/api/v1/users/" + grace.id() + "/force-password-reset", adminToken, null).status()).isEqualTo(202);
        String link = TestMailbox.link(TestMailbox.awaitMessage(grace.email(), 1), ISSUER + "/reset-password?token=");
        assertThat(link).contains("token=");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorizations WHERE principal_name = ?", Integer.class,
                grace.id().toString())).isZero();
        problem(api.post("/api/v1/users/" + UUID.randomUUID() + "/force-password-reset", adminToken, null), 404);
    }

    @Test
    void thePermissionsScopePutsThePermissionsIntoTheAccessToken() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "claims");
        JsonNode withScope = ApiClient.claims(token(admin, "openid roles permissions"));
        List<String> permissions = new ArrayList<>();
        withScope.get("permissions").forEach(permission -> permissions.add(permission.asString()));
        assertThat(permissions).as("every permission of the role admin, sorted")
                .containsExactlyElementsOf(new TreeSet<>(io.latchkey.account.Permissions.ALL));
        assertThat(withScope.get("roles").toString()).isEqualTo("[\"admin\",\"user\"]");
        assertThat(ApiClient.claims(token(admin, "openid")).has("permissions")).isFalse();
        ApiClient.User plain = ApiClient.user(jdbc, passwordEncoder, "claims-user");
        assertThat(ApiClient.claims(token(plain, "openid permissions")).get("permissions").toString()).isEqualTo("[]");
    }

    private String name(UUID id) {
        return jdbc.queryForObject("SELECT name FROM users WHERE id = ?", String.class, id);
    }

    private String hash(UUID id) {
        return jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, id);
    }

    private boolean enabled(UUID id) {
        return jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, id);
    }

    private List<String> roles(UUID id) {
        return jdbc.queryForList("SELECT role_name FROM user_roles WHERE user_id = ? ORDER BY role_name", String.class, id);
    }

    private int events(UUID id, String type) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND type = ?", Integer.class, id, type);
    }
}
