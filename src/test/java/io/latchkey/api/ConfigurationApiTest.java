package io.latchkey.api;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.api.ApiClient.token;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration as code through the admin API: who may export and import, what an export holds (no secret, no
 * declared client, users only on request), a dry run that changes nothing, an import that is idempotent, and
 * documents refused with every problem listed and nothing written.
 */
@IntegrationTest
class ConfigurationApiTest extends UsersInDatabaseTest {

    private static final String EXPORT = "/api/v1/admin/config/export";
    private static final String IMPORT = "/api/v1/admin/config/import";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final ApiClient api = new ApiClient();

    @Autowired
    private ClientAdministration clients;

    @Test
    void exportAndImportNeedTheirPermissionsAndUsersNeedTheirsToo() {
        String plain = token(ApiClient.user(jdbc, passwordEncoder, "cfg-plain"));
        String document = "version: 1\nroles:\n  - name: " + uniqueName("never") + "\n";
        problem(api.get(EXPORT, plain), 403);
        problem(importing(plain, "application/yaml", document, false), 403);

        String exporter = token(userWithRole("cfg-exporter", "config:export"));
        assertThat(api.get(EXPORT, exporter).status()).isEqualTo(200);
        problem(api.get(EXPORT + "?users=true", exporter), 403);
        problem(importing(exporter, "application/yaml", document, true), 403);

        ApiClient.User importerUser = userWithRole("cfg-importer", "config:import");
        String importer = token(importerUser);
        problem(api.get(EXPORT, importer), 403);
        assertThat(importing(importer, "application/yaml", document, true).status()).isEqualTo(200);
        String withUsers = document + "users:\n  - email: " + uniqueName("someone") + "@example.test\n";
        problem(importing(importer, "application/yaml", withUsers, false), 403);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email LIKE 'someone%'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'ACCESS_DENIED' "
                + "AND user_id = ? AND subject = ?", Integer.class, importerUser.id(), "POST " + IMPORT)).isOne();
    }

    @Test
    void anExportHoldsHashesNeverSecretsLeavesDeclaredClientsOutAndUsersOnlyOnRequest() throws Exception {
        String clientId = uniqueName("exported");
        ClientAdministration.IssuedClient issued = clients.create(clientId, machine("Exported"),
                ClientAdministration.ADMINISTERED, "test");
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "cfg-admin");
        String token = token(admin);

        Browser.Response yaml = api.get(EXPORT, token);
        assertThat(yaml.status()).as(yaml.body()).isEqualTo(200);
        assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
        assertThat(yaml.header("Cache-Control")).contains("no-store");
        JsonNode document = YAML.readTree(yaml.body());
        assertThat(document.get("version").asInt()).isEqualTo(1);
        JsonNode exported = client(document, clientId);
        assertThat(exported).as(yaml.body()).isNotNull();
        assertThat(exported.get("secret-hash").asString()).startsWith("{bcrypt}$2")
                .isEqualTo(jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE client_id = ?",
                        String.class, clientId));
        assertThat(yaml.body()).doesNotContain(issued.secret());
        assertThat(client(document, CONFIDENTIAL_CLIENT)).as("declared in configuration: left out").isNull();
        assertThat(document.has("users")).isFalse();
        List<String> roleNames = new ArrayList<>();
        document.get("roles").forEach(role -> roleNames.add(role.get("name").asString()));
        assertThat(roleNames).contains("admin", "user");

        Browser.Response json = api.get(EXPORT + "?format=json&users=true", token);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("Content-Type")).startsWith("application/json");
        JsonNode withUsers = OAuth.json(json);
        JsonNode user = null;
        for (JsonNode candidate : withUsers.get("users")) {
            if (candidate.get("email").asString().equals(admin.email())) {
                user = candidate;
            }
        }
        assertThat(user).isNotNull();
        assertThat(user.get("password-hash").asString()).startsWith("{bcrypt}$2");
        assertThat(user.get("id").asString()).isEqualTo(admin.id().toString());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CONFIGURATION_EXPORTED' "
                + "AND details LIKE ?", Integer.class, "%" + admin.id() + "%")).isEqualTo(2);

        problem(api.get(EXPORT + "?format=xml", token), 400);
    }

    @Test
    void aDryRunChangesNothingAnImportAppliesAndASecondImportIsAllUnchanged() {
        String token = token(ApiClient.admin(jdbc, passwordEncoder, "cfg-importer"));
        String clientId = uniqueName("imported");
        String role = uniqueName("auditor");
        String email = uniqueName("carried") + "@example.test";
        String secret = "imported-client-secret-" + UUID.randomUUID();
        String hash = passwordEncoder.encode(secret);
        String userHash = passwordEncoder.encode("carried over passphrase");
        String document = """
                version: 1
                clients:
                  - client-id: %s
                    display-name: Imported machine
                    confidential: true
                    secret-hash: "%s"
                    grant-types: [client_credentials]
                    scopes: [api.read]
                roles:
                  - name: %s
                    description: Reads the audit trail
                    permissions: [audit:read, clients:read]
                users:
                  - email: %s
                    name: Carried Over
                    email-verified: true
                    password-hash: "%s"
                    roles: [user, %s]
                """.formatted(clientId, hash, role, email, userHash, role);

        Map<String, List<Map<String, Object>>> before = snapshot();
        JsonNode dryRun = OAuth.json(importing(token, "application/yaml", document, true));
        assertThat(dryRun.get("dryRun").asBoolean()).isTrue();
        assertThat(actions(dryRun)).containsExactly("CLIENT " + clientId + " CREATE", "ROLE " + role + " CREATE",
                "USER " + email + " CREATE");
        assertThat(snapshot()).as("a dry run changes nothing").isEqualTo(before);

        Browser.Response applied = importing(token, "application/yaml", document, false);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(actions(OAuth.json(applied))).containsExactly("CLIENT " + clientId + " CREATE",
                "ROLE " + role + " CREATE", "USER " + email + " CREATE");
        assertThat(jdbc.queryForList("SELECT permission FROM role_permissions WHERE role_name = ? ORDER BY permission",
                String.class, role)).containsExactly("audit:read", "clients:read");
        assertThat(jdbc.queryForObject("SELECT password_hash FROM users WHERE email = ?", String.class, email))
                .isEqualTo(userHash);
        Browser.Response tokenResponse = OAuth.post(new Browser(), "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(tokenResponse.status()).as("the imported client works with its original secret: "
                + tokenResponse.body()).isEqualTo(200);

        Map<String, List<Map<String, Object>>> afterFirst = snapshot();
        JsonNode second = OAuth.json(importing(token, "application/yaml", document, false));
        assertThat(actions(second)).containsExactly("CLIENT " + clientId + " UNCHANGED", "ROLE " + role + " UNCHANGED",
                "USER " + email + " UNCHANGED");
        assertThat(snapshot()).as("a second import changes nothing").isEqualTo(afterFirst);

        String changed = document.replace("permissions: [audit:read, clients:read]", "permissions: [audit:read]")
                .replace("scopes: [api.read]", "scopes: [api.read, api.write]");
        JsonNode third = OAuth.json(importing(token, "application/yaml", changed, false));
        assertThat(actions(third)).containsExactly("CLIENT " + clientId + " UPDATE", "ROLE " + role + " UPDATE",
                "USER " + email + " UNCHANGED");
        assertThat(third.get("items").get(0).get("changed").get(0).asString()).isEqualTo("scopes");
        assertThat(jdbc.queryForList("SELECT permission FROM role_permissions WHERE role_name = ?", String.class, role))
                .containsExactly("audit:read");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CONFIGURATION_IMPORTED' "
                + "AND details LIKE '%\"dryRun\":\"false\"%' AND details LIKE '%\"created\":\"3\"%'", Integer.class))
                .isPositive();
    }

    @Test
    void badDocumentsAreRefusedWithEveryProblemListedAndNothingWritten() {
        String token = token(ApiClient.admin(jdbc, passwordEncoder, "cfg-refused"));
        String role = uniqueName("refused");
        String clientId = uniqueName("refused");
        Map<String, List<Map<String, Object>>> before = snapshot();

        JsonNode malformed = problem(importing(token, "application/yaml", "version: 1\nclients: [ {client-id: x\n",
                false), 400);
        assertThat(paths(malformed)).containsExactly("");
        assertThat(problem(importing(token, "application/json", "{\"version\": 1,", false), 400).get("errors")
                .get(0).get("message").asString()).startsWith("not valid JSON");

        String wrong = """
                version: 1
                colour: blue
                clients:
                  - client-id: %s
                    grant-types: authorization_code
                    require-pkce: "yes"
                    access-token-ttl: forever
                roles:
                  - name: %s
                    permissions: [audit:read, everything:anything]
                  - name: Not A Name
                  - 42
                """.formatted(clientId, role);
        JsonNode shape = problem(importing(token, "application/yaml", wrong, false), 400);
        assertThat(paths(shape)).containsExactlyInAnyOrder("colour", "clients[0].grant-types",
                "clients[0].require-pkce", "clients[0].access-token-ttl", "roles[2]");

        String rules = """
                version: 1
                clients:
                  - client-id: %s
                    grant-types: [authorization_code]
                    redirect-uris: ["http://app.example/callback", "https://app.example/cb#fragment", "javascript:alert(1)"]
                  - client-id: %s-b
                    confidential: true
                    secret-hash: "plain-text-secret-value"
                    grant-types: [client_credentials]
                  - client-id: %s
                    grant-types: [client_credentials]
                    confidential: true
                    secret-hash: "{bcrypt}$2a$12$abcdefghijklmnopqrstuVWXYZ0123456789abcdefghijklmnopq"
                roles:
                  - name: %s
                    permissions: [audit:read, everything:anything]
                  - name: Not A Name
                users:
                  - email: someone@example.test
                    password-hash: "correct horse battery staple"
                    roles: [no-such-role]
                """.formatted(clientId, clientId, CONFIDENTIAL_CLIENT, role);
        JsonNode problems = problem(importing(token, "application/yaml", rules, false), 400);
        assertThat(paths(problems)).contains("clients[0].redirect-uris", "clients[1].secret-hash", "clients[2].client-id",
                "roles[0].permissions[1]", "roles[1].name", "users[0].password-hash", "users[0].roles[0]");
        assertThat(messages(problems)).anyMatch(message -> message.contains("javascript"))
                .anyMatch(message -> message.contains("fragment"))
                .anyMatch(message -> message.contains("declared in configuration"))
                .anyMatch(message -> message.contains("everything:anything"));
        assertThat(problems.toString()).doesNotContain("correct horse battery staple");

        String nul = """
                {"version": 1, "clients": [{"client-id": "%s-n", "display-name": "nul\\u0000byte",
                                            "grant-types": ["client_credentials"]}]}
                """.formatted(clientId);
        assertThat(paths(problem(importing(token, "application/json", nul, false), 400)))
                .containsExactly("clients[0].display-name");
        String hostile = """
                {"version": 1,
                 "clients": [{"client-id": "x'; DROP TABLE roles; --", "grant-types": ["client_credentials"]}],
                 "roles": [{"name": "r\\u202eole", "description": "<script>alert(1)</script>"},
                           {"name": "%s-x", "description": "tab\\tbell\\u0007"}]}
                """.formatted(role);
        assertThat(paths(problem(importing(token, "application/json", hostile, false), 400)))
                .containsExactlyInAnyOrder("clients[0].client-id", "clients[0].grant-types", "roles[0].name",
                        "roles[1].description");
        assertThat(paths(problem(importing(token, "application/json", "[1, 2]", false), 400))).containsExactly("");
        assertThat(paths(problem(importing(token, "application/json", "{\"version\": 2}", false), 400)))
                .containsExactly("version");
        String laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "version: 1\n";
        assertThat(importing(token, "application/yaml", laughs, false).status()).isEqualTo(400);
        problem(importing(token, "text/plain", "version: 1\n", false), 415);
        problem(api.get(EXPORT + "?users=maybe", token), 400);
        HttpRequest wrongType = HttpRequest.newBuilder(api.resolve(IMPORT + "?dryRun=maybe"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString("version: 1\n")).build();
        problem(api.send(wrongType), 400);
        assertThat(paths(problem(importing(token, "application/yaml", "version: 1\n--- \nversion: 1\n", false), 400)))
                .containsExactly("");
        assertThat(paths(problem(importing(token, "application/yaml",
                "version: 1\nroles: !!java.lang.ProcessBuilder [[\"id\"]]\n", false), 400))).as("a tag builds nothing")
                .containsExactly("roles[0]");
        problem(importing(token, "application/yaml", "", false), 400);
        problem(importing(token, "application/yaml", "version: 1\nroles:\n"
                + ("  - name: " + "a".repeat(60) + "\n    description: " + "b".repeat(150) + "\n").repeat(400), false), 413);

        assertThat(snapshot()).as("nothing written").isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM roles WHERE name = ?", Integer.class, role)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_id LIKE ?",
                Integer.class, clientId + "%")).isZero();
    }

    private Browser.Response importing(String token, String contentType, String body, boolean dryRun) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(IMPORT + "?dryRun=" + dryRun))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return api.send(request);
    }

    /** The tables an import may write, whole. */
    private Map<String, List<Map<String, Object>>> snapshot() {
        return Map.of(
                "clients", jdbc.queryForList("SELECT * FROM oauth2_registered_client ORDER BY client_id"),
                "roles", jdbc.queryForList("SELECT * FROM roles ORDER BY name"),
                "role_permissions", jdbc.queryForList("SELECT * FROM role_permissions ORDER BY role_name, permission"),
                "users", jdbc.queryForList("SELECT * FROM users ORDER BY id"),
                "user_roles", jdbc.queryForList("SELECT * FROM user_roles ORDER BY user_id, role_name"));
    }

    private ApiClient.User userWithRole(String prefix, String permission) {
        String role = uniqueName(prefix);
        jdbc.update("INSERT INTO roles (name, description) VALUES (?, ?)", role, "test");
        jdbc.update("INSERT INTO role_permissions (role_name, permission) VALUES (?, ?)", role, permission);
        ApiClient.User user = ApiClient.user(jdbc, passwordEncoder, prefix);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", user.id(), role);
        return user;
    }

    private static ClientDraft machine(String name) {
        return new ClientDraft(name, true, List.of("client_credentials"), List.of(), List.of(), List.of("api.read"),
                null, null, null, null, null, null, null);
    }

    private static JsonNode client(JsonNode document, String clientId) {
        for (JsonNode client : document.get("clients")) {
            if (client.get("client-id").asString().equals(clientId)) {
                return client;
            }
        }
        return null;
    }

    private static List<String> actions(JsonNode plan) {
        List<String> actions = new ArrayList<>();
        plan.get("items").forEach(item -> actions.add(item.get("kind").asString() + " " + item.get("name").asString()
                + " " + item.get("action").asString()));
        return actions;
    }

    private static List<String> paths(JsonNode problem) {
        List<String> paths = new ArrayList<>();
        problem.get("errors").forEach(error -> paths.add(error.get("field").asString()));
        return paths;
    }

    private static List<String> messages(JsonNode problem) {
        List<String> messages = new ArrayList<>();
        problem.get("errors").forEach(error -> messages.add(error.get("message").asString()));
        return messages;
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    }
}
