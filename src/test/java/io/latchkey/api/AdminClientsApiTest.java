package io.latchkey.api;

import static io.latchkey.api.ApiClient.fieldMessages;
import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.api.ApiClient.token;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import io.latchkey.oauth.ApiScopes;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

/**
 * {@code /api/v1/admin/clients}: every operation with its permission, the rules for clients as field errors, bad
 * redirect URIs refused, hostile and malformed input answered 4xx with nothing written, a secret in the answer that
 * made it and never again, and a rotation's overlap proven at the token endpoint.
 */
@IntegrationTest
class AdminClientsApiTest extends UsersInDatabaseTest {

    private static final String PATH = "/api/v1/admin/clients";

    private final ApiClient api = new ApiClient();
    private String admin;

    @BeforeEach
    void adminToken() {
        admin = token(ApiClient.admin(jdbc, passwordEncoder, "clients-admin"));
    }

    @Test
    void everyOperationNeedsATokenTheAdminScopeAndItsPermission() {
        String clientId = created(machine(null)).get("clientId").asString();
        ApiClient.User reader = ApiClient.user(jdbc, passwordEncoder, "clients-reader");
        String role = "clients-reader-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO roles (name, description) VALUES (?, 'reads clients')", role);
        jdbc.update("INSERT INTO role_permissions (role_name, permission) VALUES (?, 'clients:read')", role);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", reader.id(), role);
        String readerToken = token(reader);
        String plainUser = token(ApiClient.user(jdbc, passwordEncoder, "clients-nobody"));
        String adminWithoutScope = token(ApiClient.admin(jdbc, passwordEncoder, "clients-noscope"),
                "openid " + ApiScopes.ACCOUNT);

        assertThat(api.get(PATH, readerToken).status()).isEqualTo(200);
        assertThat(api.get(PATH + "/" + clientId, readerToken).status()).isEqualTo(200);
        for (Call write : writes(clientId)) {
            problem(write.by(api, null), 401);
            problem(write.by(api, "not-a-token"), 401);
            problem(write.by(api, readerToken), 403);
            problem(write.by(api, plainUser), 403);
            problem(write.by(api, adminWithoutScope), 403);
        }
        for (String read : List.of(PATH, PATH + "/" + clientId)) {
            problem(api.get(read, null), 401);
            problem(api.get(read, plainUser), 403);
            problem(api.get(read, adminWithoutScope), 403);
        }
        JsonNode still = OAuth.json(api.get(PATH + "/" + clientId, admin));
        assertThat(still.get("disabled").asBoolean()).as("no refused call changed anything").isFalse();
        assertThat(clientRows("api-noone-%")).isZero();
    }

    @Test
    void createReadSearchUpdateDisableEnableAndDelete() {
        String clientId = "api-app-" + UUID.randomUUID().toString().substring(0, 8);
        Browser.Response created = api.post(PATH, admin, """
                {"clientId":"%s","displayName":"API App","confidential":true,
                 "grantTypes":["authorization_code","refresh_token","client_credentials"],
                 "redirectUris":["https://app.example/cb","http://127.0.0.1/api-app"],
                 "postLogoutRedirectUris":["https://app.example/bye"],"scopes":["openid","profile"],
                 "requirePkce":true,"requireConsent":false,"accessTokenTtl":"PT5M","refreshTokenTtl":"P2D",
                 "logoUri":"https://app.example/logo.png","requireMfa":false}""".formatted(clientId));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith(PATH + "/" + clientId);
        assertThat(created.header("Cache-Control")).contains("no-store");
        JsonNode body = OAuth.json(created);
        String secret = body.get("clientSecret").asString();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        assertThat(body.get("clientId").asString()).isEqualTo(clientId);
        assertThat(body.get("accessTokenTtl").asString()).isEqualTo("PT5M");
        assertThat(body.get("refreshTokenTtl").asString()).isEqualTo("PT48H");
        assertThat(body.get("requireConsent").asBoolean()).isFalse();
        assertThat(body.get("source").asString()).isEqualTo("runtime");
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);

        Browser.Response read = api.get(PATH + "/" + clientId, admin);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(secret).doesNotContain("clientSecret").doesNotContain("$2");
        assertThat(OAuth.json(read).get("redirectUris").toString()).contains("https://app.example/cb");

        JsonNode found = OAuth.json(api.get(PATH + "?q=" + clientId.toUpperCase() + "&size=5", admin));
        assertThat(found.get("total").asLong()).isEqualTo(1);
        assertThat(found.get("items").get(0).get("clientId").asString()).isEqualTo(clientId);
        assertThat(found.toString()).doesNotContain(secret);

        Browser.Response updated = api.call("PUT", PATH + "/" + clientId, admin, """
                {"displayName":"Renamed","grantTypes":["client_credentials"],"scopes":["api.read"]}""");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(OAuth.json(updated).get("displayName").asString()).isEqualTo("Renamed");
        assertThat(OAuth.json(updated).has("clientSecret")).as("it kept its secret").isFalse();
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);

        assertThat(api.post(PATH + "/" + clientId + "/disable", admin, null).status()).isEqualTo(204);
        assertThat(OAuth.json(api.get(PATH + "/" + clientId, admin)).get("disabled").asBoolean()).isTrue();
        assertThat(clientCredentials(clientId, secret)).isEqualTo(401);
        assertThat(api.post(PATH + "/" + clientId + "/enable", admin, null).status()).isEqualTo(204);
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);

        assertThat(api.call("DELETE", PATH + "/" + clientId, admin, null).status()).isEqualTo(204);
        problem(api.get(PATH + "/" + clientId, admin), 404);
        problem(api.call("DELETE", PATH + "/" + clientId, admin, null), 404);
        assertThat(clientCredentials(clientId, secret)).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE subject = ? AND type LIKE 'CLIENT_%'",
                Integer.class, "client:" + clientId)).as("each change audited").isGreaterThanOrEqualTo(5);
    }

    @Test
    void theSettingsOfTheStandardsBeyondTheCoreAreWrittenReadAndKeptByAnUpdate() throws Exception {
        String clientId = "api-ext-" + UUID.randomUUID().toString().substring(0, 8);
        String publicKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("api-key").generate()
                .toPublicJWK().toJSONString();
        JsonNode client = created("""
                {"clientId":"%s","grantTypes":["client_credentials","urn:ietf:params:oauth:grant-type:token-exchange"],
                 "scopes":["api.read"],"tokenEndpointAuthMethod":"private_key_jwt","jwks":{"keys":[%s]},
                 "requirePushedAuthorizationRequests":true,"dpopBoundAccessTokens":true,
                 "resourceIndicator":"https://orders.example/api","tokenExchangeTargets":["https://stock.example/api"]}
                """.formatted(clientId, publicKey));
        assertThat(client.has("clientSecret")).as("a key-based client gets no secret").isFalse();
        assertThat(client.get("confidential").asBoolean()).isFalse();
        assertThat(client.get("tokenEndpointAuthMethod").asString()).isEqualTo("private_key_jwt");
        assertThat(client.get("jwks").get("keys").get(0).get("kid").asString()).isEqualTo("api-key");
        assertThat(client.get("requirePushedAuthorizationRequests").asBoolean()).isTrue();
        assertThat(client.get("dpopBoundAccessTokens").asBoolean()).isTrue();
        assertThat(client.get("subjectType").asString()).isEqualTo("public");
        assertThat(client.get("resourceIndicator").asString()).isEqualTo("https://orders.example/api");
        assertThat(client.get("tokenExchangeTargets").get(0).asString()).isEqualTo("https://stock.example/api");

        Browser.Response renamed = api.call("PUT", PATH + "/" + clientId, admin, """
                {"displayName":"Orders","grantTypes":["client_credentials"],"scopes":["api.read"],
                 "tokenEndpointAuthMethod":"private_key_jwt","jwks":{"keys":[%s]},"dpopBoundAccessTokens":true}
                """.formatted(publicKey));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        JsonNode read = OAuth.json(api.get(PATH + "/" + clientId, admin));
        assertThat(read.get("displayName").asString()).isEqualTo("Orders");
        assertThat(read.get("dpopBoundAccessTokens").asBoolean()).isTrue();
        assertThat(read.get("requirePushedAuthorizationRequests").asBoolean()).as("left out: off").isFalse();
        assertThat(read.get("jwks").get("keys").get(0).get("kid").asString()).isEqualTo("api-key");
    }

    @Test
    void settingsOfTheStandardsThatCannotWorkAreFieldErrors() throws Exception {
        String privateKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate().toJSONString();
        Object[][] refusals = {
                { "\"tokenEndpointAuthMethod\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + privateKey + "]}", "jwks" },
                { "\"tokenEndpointAuthMethod\":\"private_key_jwt\"", "tokenEndpointAuthMethod" },
                { "\"tokenEndpointAuthMethod\":\"client_secret_jwt\"", "tokenEndpointAuthMethod" },
                { "\"tokenEndpointAuthMethod\":\"private_key_jwt\",\"jwksUri\":\"http://keys.example/jwks\"", "jwksUri" },
                { "\"subjectType\":\"<script>\"", "subjectType" },
                { "\"sectorIdentifierUri\":\"https://sector.example/uris.json\"", "sectorIdentifierUri" },
                { "\"tokenExchangeTargets\":[\"https://stock.example/api\"]", "tokenExchangeTargets" },
                { "\"resourceIndicator\":\"https://x.example/\u0000\"", "resourceIndicator" } };
        for (Object[] refusal : refusals) {
            String clientId = "api-ext-bad-" + UUID.randomUUID().toString().substring(0, 8);
            Browser.Response refused = api.post(PATH, admin, """
                    {"clientId":"%s","grantTypes":["client_credentials"],"scopes":["api.read"],%s}"""
                    .formatted(clientId, refusal[0]));
            assertThat(fieldMessages(problem(refused, 400), (String) refusal[1])).as(refusal[0].toString())
                    .isNotEmpty();
            problem(api.get(PATH + "/" + clientId, admin), 404);
        }
    }

    @Test
    void aRotatedSecretIsAnsweredOnceAndTheOldOneWorksOnlyDuringTheOverlap() {
        JsonNode client = created(machine(null));
        String clientId = client.get("clientId").asString();
        String first = client.get("clientSecret").asString();

        Browser.Response rotated = api.post(PATH + "/" + clientId + "/secret", admin, "{\"overlap\":\"PT1H\"}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.header("Cache-Control")).contains("no-store");
        String second = OAuth.json(rotated).get("clientSecret").asString();
        assertThat(OAuth.json(rotated).get("previousSecretUntil").asString()).isNotBlank();
        assertThat(clientCredentials(clientId, first)).as("old secret during the overlap").isEqualTo(200);
        assertThat(clientCredentials(clientId, second)).isEqualTo(200);

        Browser.Response ended = api.call("DELETE", PATH + "/" + clientId + "/previous-secret", admin, null);
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        assertThat(OAuth.json(ended).has("previousSecretUntil")).isFalse();
        assertThat(clientCredentials(clientId, first)).as("old secret after the overlap ended").isEqualTo(401);

        // the overlap as a parameter; none by default
        String third = OAuth.json(api.post(PATH + "/" + clientId + "/secret?overlap=P1D", admin, null))
                .get("clientSecret").asString();
        assertThat(clientCredentials(clientId, second)).isEqualTo(200);
        String fourth = OAuth.json(api.post(PATH + "/" + clientId + "/secret", admin, null)).get("clientSecret")
                .asString();
        assertThat(clientCredentials(clientId, third)).as("no overlap: refused at once").isEqualTo(401);
        assertThat(clientCredentials(clientId, fourth)).isEqualTo(200);

        for (String overlap : List.of("\"P31D\"", "\"-PT1H\"", "\"an hour\"", "3600", "\"" + "P".repeat(5000) + "\"")) {
            JsonNode refused = problem(api.post(PATH + "/" + clientId + "/secret", admin,
                    "{\"overlap\":" + overlap + "}"), 400);
            assertThat(refused.get("errors").toString()).as(overlap).contains("overlap");
        }
        assertThat(clientCredentials(clientId, fourth)).as("refused rotations changed nothing").isEqualTo(200);
        String publicId = created(publicApp()).get("clientId").asString();
        assertThat(fieldMessages(problem(api.post(PATH + "/" + publicId + "/secret", admin, null), 400),
                "confidential")).isNotEmpty();
    }

    @Test
    void everyRuleIsAFieldErrorAndNothingIsWritten() {
        String clientId = "api-bad-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode refused = problem(api.post(PATH, admin, """
                {"clientId":"%s","confidential":false,"grantTypes":["authorization_code","client_credentials","implicit"],
                 "redirectUris":["http://app.example/cb","https://app.example/cb#fragment","https://*.example/cb",
                   "javascript:alert(1)","/relative/cb","app://no-period"],
                 "postLogoutRedirectUris":["http://evil.example/"],"scopes":["open id\\"<script>"],
                 "requirePkce":false,"accessTokenTtl":"P400D","refreshTokenTtl":"PT0S",
                 "displayName":"%s","logoUri":"http://app.example/logo.png"}""".formatted(clientId, "n".repeat(101))),
                400);
        assertThat(refused.get("type").asString()).isEqualTo("urn:latchkey:problem:validation-error");
        List<String> fields = new ArrayList<>();
        refused.get("errors").forEach(error -> fields.add(error.get("field").asString()));
        assertThat(fields).contains("grantTypes", "redirectUris", "postLogoutRedirectUris", "scopes", "requirePkce",
                "accessTokenTtl", "refreshTokenTtl", "displayName", "logoUri");
        List<String> redirects = fieldMessages(refused, "redirectUris");
        assertThat(redirects).as("each bad redirect URI named").hasSize(6);
        assertThat(String.join("\n", redirects)).contains("http://app.example/cb", "fragment", "wildcard",
                "javascript", "absolute", "app:");
        assertThat(clientRows(clientId)).isZero();

        for (String redirect : List.of("http://app.example/cb", "https://app.example/cb#x", "https://*.app.example/cb",
                "javascript:alert(1)", "relative/cb", "https://user@app.example/cb", "data:text/html,x")) {
            JsonNode one = problem(api.post(PATH, admin, body(clientId, "[\"" + redirect + "\"]")), 400);
            assertThat(fieldMessages(one, "redirectUris")).as(redirect).hasSize(1);
        }
        for (String allowed : List.of("https://app.example/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb",
                "http://localhost/cb", "com.example.app:/callback")) {
            String id = clientId + "-" + Math.abs(allowed.hashCode());
            Browser.Response ok = api.post(PATH, admin, body(id, "[\"" + allowed + "\"]"));
            assertThat(ok.status()).as(allowed + " " + ok.body()).isEqualTo(201);
        }
        assertThat(clientRows(clientId)).isZero();

        // a client id that is taken, or declared in configuration
        String taken = created(machine(null)).get("clientId").asString();
        assertThat(fieldMessages(problem(api.post(PATH, admin, machine(taken)), 400), "clientId")).isNotEmpty();
        assertThat(fieldMessages(problem(api.post(PATH, admin, machine(CONFIDENTIAL_CLIENT)), 400), "clientId"))
                .isNotEmpty();
    }

    @Test
    void hostileMalformedAndWrongTypedInputIsA4xxProblemAndWritesNothing() {
        long before = jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client", Long.class);
        List<String> hostileIds = List.of("x'; DROP TABLE oauth2_registered_client;--", "<script>alert(1)</script>",
                "ünïcødé-😀", "nul\\u0000byte", "a".repeat(101), "../../etc/passwd");
        for (String id : hostileIds) {
            JsonNode refused = problem(api.post(PATH, admin, machine(id.replace("'", "\\u0027"))), 400);
            assertThat(fieldMessages(refused, "clientId")).as(id).hasSize(1);
        }
        List<String> bodies = List.of("", "not json", "[]", "{\"grantTypes\":\"client_credentials\"}",
                "{\"confidential\":\"very\",\"grantTypes\":[\"client_credentials\"]}",
                "{\"grantTypes\":[null]}", "{\"grantTypes\":[1,2]}", "{\"redirectUris\":[{\"uri\":\"x\"}]}",
                "{\"accessTokenTtl\":\"fifteen minutes\",\"grantTypes\":[\"client_credentials\"]}",
                "{\"accessTokenTtl\":{\"seconds\":1},\"grantTypes\":[\"client_credentials\"]}",
                "{\"displayName\":\"nul\\u0000\",\"grantTypes\":[\"client_credentials\"]}",
                "{\"displayName\":\"" + "x".repeat(9000) + "\",\"grantTypes\":[\"client_credentials\"]}",
                "{\"scopes\":[" + "\"s\",".repeat(500) + "\"s\"],\"grantTypes\":[\"client_credentials\"]}",
                "{\"grantTypes\":[\"client_credentials\"],\"displayName\":\"" + "\\ud83d\\ude00".repeat(60) + "\"}",
                "{\"grantTypes\":[\"client_credentials\"],\"redirectUris\":[\"https://app.example/" + "a".repeat(
                        3000) + "\"]}");
        for (String json : bodies) {
            Browser.Response response = api.call("POST", PATH, admin, json);
            assertThat(response.status()).as(json.length() > 200 ? json.substring(0, 200) : json).isEqualTo(400);
            problem(response, 400);
        }
        for (String q : List.of("' OR 1=1 --", "%", "_", "<script>", "ü😀", "\\")) {
            Browser.Response search = api.get(PATH + "?q=" + java.net.URLEncoder.encode(q,
                    java.nio.charset.StandardCharsets.UTF_8), admin);
            assertThat(search.status()).as(q).isEqualTo(200);
        }
        problem(api.get(PATH + "?q=%00", admin), 400);
        problem(api.get(PATH + "?page=abc", admin), 400);
        problem(api.get(PATH + "?page=2147483647", admin), 400);
        problem(api.get(PATH + "?page=-1", admin), 400);
        JsonNode capped = OAuth.json(api.get(PATH + "?size=100000", admin));
        assertThat(capped.get("size").asInt()).as("size capped").isEqualTo(100);
        for (String unknown : List.of("no-such-client", "bad%20id", "%3Cscript%3E", "a".repeat(300), "%C3%BC")) {
            problem(api.get(PATH + "/" + unknown, admin), 404);
            problem(api.call("PUT", PATH + "/" + unknown, admin, machine(null)), 404);
            problem(api.post(PATH + "/" + unknown + "/disable", admin, null), 404);
            problem(api.post(PATH + "/" + unknown + "/secret", admin, null), 404);
            problem(api.call("DELETE", PATH + "/" + unknown + "/previous-secret", admin, null), 404);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client", Long.class))
                .as("nothing written").isEqualTo(before);
    }

    @Test
    void aClientDeclaredInConfigurationIsShownButEveryChangeIsAConflict() {
        JsonNode declared = OAuth.json(api.get(PATH + "/" + CONFIDENTIAL_CLIENT, admin));
        assertThat(declared.get("readOnly").asBoolean()).isTrue();
        assertThat(declared.get("source").asString()).isEqualTo("configuration");
        assertThat(declared.has("clientSecret")).isFalse();
        int refusals = refusals(CONFIDENTIAL_CLIENT);
        for (Call write : writes(CONFIDENTIAL_CLIENT).subList(1, 7)) {
            JsonNode conflict = problem(write.by(api, admin), 409);
            assertThat(conflict.get("detail").asString()).contains("latchkey.clients." + CONFIDENTIAL_CLIENT);
        }
        assertThat(OAuth.json(api.get(PATH + "/" + CONFIDENTIAL_CLIENT, admin)).get("disabled").asBoolean()).isFalse();
        assertThat(refusals(CONFIDENTIAL_CLIENT)).as("each refusal audited").isEqualTo(refusals + 6);
    }

    private int refusals(String clientId) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CLIENT_CHANGE_REFUSED' AND subject = ?",
                Integer.class, "client:" + clientId);
    }

    private List<Call> writes(String clientId) {
        String one = PATH + "/" + clientId;
        return List.of(new Call("POST", PATH, machine("api-noone-" + UUID.randomUUID())), new Call("PUT", one, machine(null)),
                new Call("DELETE", one, null), new Call("POST", one + "/disable", null),
                new Call("POST", one + "/enable", null), new Call("POST", one + "/secret", "{\"overlap\":\"PT1H\"}"),
                new Call("DELETE", one + "/previous-secret", null));
    }

    private record Call(String method, String path, String json) {

        Browser.Response by(ApiClient api, String token) {
            return api.call(method, path, token, json);
        }
    }

    private JsonNode created(String json) {
        Browser.Response response = api.post(PATH, admin, json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return OAuth.json(response);
    }

    private static String machine(String clientId) {
        return "{" + (clientId == null ? "" : "\"clientId\":\"" + clientId + "\",")
                + "\"displayName\":\"Machine\",\"grantTypes\":[\"client_credentials\"],\"scopes\":[\"api.read\"]}";
    }

    private static String publicApp() {
        return "{\"confidential\":false,\"grantTypes\":[\"authorization_code\"],"
                + "\"redirectUris\":[\"http://127.0.0.1/public-api-app\"],\"scopes\":[\"openid\"]}";
    }

    private static String body(String clientId, String redirectUris) {
        return "{\"clientId\":\"" + clientId + "\",\"grantTypes\":[\"authorization_code\"],\"redirectUris\":"
                + redirectUris + ",\"scopes\":[\"openid\"]}";
    }

    private int clientRows(String pattern) {
        return jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_id LIKE ?", Integer.class,
                pattern);
    }

    private static int clientCredentials(String clientId, String secret) {
        return OAuth.post(new Browser(), "/oauth2/token", clientId, secret, OAuth.form("grant_type", "client_credentials"))
                .status();
    }
}
