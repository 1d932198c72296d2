package io.latchkey.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.account.Permissions;
import io.latchkey.oauth.ApiScopes;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.fieldMessages;
import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.api.ApiClient.token;
import static org.assertj.core.api.Assertions.assertThat;

/** Roles and permissions under /api/v1/admin/roles and /api/v1/admin/permissions, with real tokens. */
@IntegrationTest
class AdminRolesApiTest extends UsersInDatabaseTest {

    private static final String ROLES = "/api/v1/admin/roles";

    private final ApiClient api = new ApiClient();

    @Test
    void anAdminCreatesARoleGrantsItChangesItsPermissionsAndDeletesIt() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "roles-admin");
        ApiClient.User olga = ApiClient.user(jdbc, passwordEncoder, "olga");
        String adminToken = token(admin);
        String name = uniqueRole("auditors");

        JsonNode permissions = OAuth.json(api.get("/api/v1/admin/permissions", adminToken));
        List<String> listed = new ArrayList<>();
        permissions.get("items").forEach(permission -> listed.add(permission.asString()));
        assertThat(listed).containsExactlyElementsOf(Permissions.ALL);

        Browser.Response created = api.post(ROLES, adminToken, "{\"name\":\"" + name + "\",\"description\":\"Reads users\","
                + "\"permissions\":[\"users:read\",\"audit:read\",\"users:read\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith(ROLES + "/" + name);
        JsonNode role = OAuth.json(created);
        assertThat(role.get("name").asString()).isEqualTo(name);
        assertThat(role.get("permissions").toString()).isEqualTo("[\"users:read\",\"audit:read\"]");
        assertThat(role.get("members").asLong()).isZero();
        assertThat(OAuth.json(api.get(ROLES + "/" + name, adminToken)).get("description").asString()).isEqualTo("Reads users");

        JsonNode taken = problem(api.post(ROLES, adminToken, "{\"name\":\"" + name + "\"}"), 400);
        assertThat(fieldMessages(taken, "name")).containsExactly("There is a role with this name already.");

        // the role's permission applies to its member's next request, and its removal too
        String olgaToken = token(olga);
        problem(api.get("/api/v1/admin/users", olgaToken), 403);
        assertThat(api.call("PUT", "/api/v1/admin/users/" + olga.id() + "/roles", adminToken,
                "{\"roles\":[\"user\",\"" + name + "\"]}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/users", olgaToken).status()).isEqualTo(200);
        problem(api.post("/api/v1/admin/users/" + admin.id() + "/disable", olgaToken, null), 403);
        assertThat(memberCount(adminToken, name)).isEqualTo(1);

        Browser.Response changed = api.call("PUT", ROLES + "/" + name + "/permissions", adminToken,
                "{\"permissions\":[\"keys:read\"]}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(OAuth.json(changed).get("permissions").toString()).isEqualTo("[\"keys:read\"]");
        assertThat(permissionsOf(name)).containsExactly("keys:read");
        problem(api.get("/api/v1/admin/users", olgaToken), 403);

        assertThat(api.call("DELETE", ROLES + "/" + name, adminToken, null).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM roles WHERE name = ?", Integer.class, name)).isZero();
        assertThat(jdbc.queryForList("SELECT role_name FROM user_roles WHERE user_id = ?", String.class, olga.id()))
                .containsExactly("user");
        problem(api.call("DELETE", ROLES + "/" + name, adminToken, null), 404);
        problem(api.get(ROLES + "/" + name, adminToken), 404);

        for (String type : List.of("ROLE_CREATED", "ROLE_PERMISSIONS_CHANGED", "ROLE_DELETED")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = ? AND subject = ? AND details "
                    + "LIKE ? AND details LIKE '%succeeded%'", Integer.class, type, "role:" + name, "%" + admin.id() + "%"))
                    .as(type).isEqualTo(1);
        }
    }

    @Test
    void theAdminRoleKeepsEveryPermissionAndTheBuiltInRolesStay() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "keeper-admin");
        String adminToken = token(admin);
        JsonNode adminRole = role(OAuth.json(api.get(ROLES, adminToken)), "admin");
        assertThat(adminRole.get("permissions").size()).isEqualTo(Permissions.ALL.size());
        assertThat(adminRole.get("members").asLong()).isPositive();

        List<String> allButOne = new ArrayList<>(Permissions.ALL.subList(1, Permissions.ALL.size()));
        JsonNode refused = problem(api.call("PUT", ROLES + "/admin/permissions", adminToken,
                "{\"permissions\":" + json(allButOne) + "}"), 400);
        assertThat(fieldMessages(refused, "permissions")).containsExactly(
                "The role admin keeps every permission, so that someone can always do everything.");
        problem(api.call("PUT", ROLES + "/admin/permissions", adminToken, "{\"permissions\":[]}"), 400);
        assertThat(permissionsOf("admin")).containsExactlyInAnyOrderElementsOf(Permissions.ALL);
        assertThat(api.call("PUT", ROLES + "/admin/permissions", adminToken,
                "{\"permissions\":" + json(Permissions.ALL) + "}").status()).isEqualTo(200);

        for (String builtIn : List.of("admin", "user")) {
            JsonNode stays = problem(api.call("DELETE", ROLES + "/" + builtIn, adminToken, null), 400);
            assertThat(fieldMessages(stays, "name")).containsExactly("The roles admin and user cannot be deleted.");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM roles WHERE name IN ('admin', 'user')", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'ROLE_PERMISSIONS_CHANGED' AND "
                + "subject = 'role:admin' AND details LIKE '%refused%' AND details LIKE ?", Integer.class,
                "%" + admin.id() + "%")).isEqualTo(2);
    }

    @Test
    void namesAndPermissionListsAreValidatedAndNothingIsHalfWritten() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "validating-admin");
        String adminToken = token(admin);
        int rolesBefore = jdbc.queryForObject("SELECT COUNT(*) FROM roles", Integer.class);
        for (String name : List.of("Auditors", "1abc", "a".repeat(65), "<script>alert(1)</script>", "x' OR '1'='1",
                "ab\\u0000c", "ünïcødé", "rtl\\u202eevil", "", " ", "a b", "a/b", "../admin")) {
            JsonNode invalid = problem(api.post(ROLES, adminToken, "{\"name\":\"" + name + "\"}"), 400);
            assertThat(fieldMessages(invalid, "name")).as(name).containsExactly(
                    "A role name starts with a lowercase letter and has at most 64 of a-z, 0-9, - and _.");
        }
        assertThat(fieldMessages(problem(api.post(ROLES, adminToken, "{}"), 400), "name"))
                .containsExactly("This field is required.");
        assertThat(fieldMessages(problem(api.post(ROLES, adminToken, "{\"name\":42}"), 400), "name")).isNotEmpty();
        assertThat(fieldMessages(problem(api.post(ROLES, adminToken, "{\"name\":\"ok-name\",\"description\":\""
                + "d".repeat(201) + "\"}"), 400), "description")).isNotEmpty();
        problem(api.post(ROLES, adminToken, "{\"name\":\"ok-name\",\"description\":\"bad\\u0000\"}"), 400);
        String name = uniqueRole("validated");
        for (String list : List.of("[\"nope\"]", "[\"users:read\",\"users:read ; DROP TABLE roles\"]", "[null]",
                "[\"USERS:READ\"]", "[\"<script>\"]", json(java.util.Collections.nCopies(60, "users:read")))) {
            JsonNode unknown = problem(api.post(ROLES, adminToken, "{\"name\":\"" + name + "\",\"permissions\":" + list + "}"), 400);
            assertThat(fieldMessages(unknown, "permissions")).as(list).containsExactly("There is no such permission.");
        }
        problem(api.post(ROLES, adminToken, "{\"name\":\"" + name + "\",\"permissions\":\"users:read\"}"), 400);
        problem(api.post(ROLES, adminToken, "{\"name\":\"" + name + "\",\"permissions\":[{\"a\":1}]}"), 400);
        problem(api.post(ROLES, adminToken, "not json"), 400);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM roles", Integer.class)).isEqualTo(rolesBefore);

        assertThat(api.post(ROLES, adminToken, "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        assertThat(fieldMessages(problem(api.call("PUT", ROLES + "/" + name + "/permissions", adminToken,
                "{\"permissions\":[\"users:read\",\"evil\"]}"), 400), "permissions")).containsExactly("There is no such permission.");
        assertThat(fieldMessages(problem(api.call("PUT", ROLES + "/" + name + "/permissions", adminToken, "{}"), 400),
                "permissions")).containsExactly("This field is required.");
        assertThat(permissionsOf(name)).isEmpty();
        for (String path : List.of("%3Cscript%3E", "x%27%20OR%20%271%27%3D%271", "Admin", "a".repeat(300), "%C3%BC")) {
            problem(api.call("PUT", ROLES + "/" + path + "/permissions", adminToken, "{\"permissions\":[]}"), 404);
            problem(api.call("DELETE", ROLES + "/" + path, adminToken, null), 404);
            problem(api.get(ROLES + "/" + path, adminToken), 404);
        }
        // an encoded NUL in the path is refused by the servlet container itself, before the API sees it
        assertThat(api.call("DELETE", ROLES + "/ab%00c", adminToken, null).status()).isEqualTo(400);
        assertThat(permissionsOf(name)).isEmpty();
    }

    @Test
    void readingNeedsRolesReadAndChangingRolesWriteAndTheAdminScope() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "roles-perm-admin");
        ApiClient.User reader = ApiClient.user(jdbc, passwordEncoder, "roles-reader");
        ApiClient.User plain = ApiClient.user(jdbc, passwordEncoder, "roles-plain");
        String readers = uniqueRole("role-readers");
        String adminToken = token(admin);
        assertThat(api.post(ROLES, adminToken, "{\"name\":\"" + readers + "\",\"permissions\":[\"roles:read\"]}").status())
                .isEqualTo(201);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", reader.id(), readers);
        String readerToken = token(reader);
        assertThat(api.get(ROLES, readerToken).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/permissions", readerToken).status()).isEqualTo(200);

        String victim = uniqueRole("victim");
        assertThat(api.post(ROLES, adminToken, "{\"name\":\"" + victim + "\"}").status()).isEqualTo(201);
        List<String[]> changes = List.of(
                new String[] { "POST", ROLES, "{\"name\":\"" + uniqueRole("sneaky") + "\",\"permissions\":[\"users:write\"]}" },
                new String[] { "PUT", ROLES + "/" + victim + "/permissions", "{\"permissions\":[\"users:write\"]}" },
                new String[] { "PUT", ROLES + "/" + readers + "/permissions", "{\"permissions\":[\"roles:write\"]}" },
                new String[] { "DELETE", ROLES + "/" + victim, null });
        for (String[] change : changes) {
            problem(api.call(change[0], change[1], readerToken, change[2]), 403);
        }
        String plainToken = token(plain);
        String withoutScope = token(admin, "openid " + ApiScopes.ACCOUNT);
        for (String token : List.of(plainToken, withoutScope)) {
            problem(api.get(ROLES, token), 403);
            problem(api.get("/api/v1/admin/permissions", token), 403);
            problem(api.get(ROLES + "/" + victim, token), 403);
            for (String[] change : changes) {
                problem(api.call(change[0], change[1], token, change[2]), 403);
            }
        }
        assertThat(permissionsOf(victim)).isEmpty();
        assertThat(permissionsOf(readers)).containsExactly("roles:read");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM roles WHERE name LIKE 'sneaky%'", Integer.class)).isZero();
    }

    private long memberCount(String token, String name) {
        return role(OAuth.json(api.get(ROLES, token)), name).get("members").asLong();
    }

    private static JsonNode role(JsonNode roles, String name) {
        for (JsonNode role : roles) {
            if (role.get("name").asString().equals(name)) {
                return role;
            }
        }
        throw new AssertionError("No role " + name + " in " + roles);
    }

    private List<String> permissionsOf(String role) {
        return jdbc.queryForList("SELECT permission FROM role_permissions WHERE role_name = ? ORDER BY permission",
                String.class, role);
    }

    private static String uniqueRole(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    private static String json(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
