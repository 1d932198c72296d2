package io.latchkey.clientregistration;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic client registration (RFC 7591) and the client configuration endpoint (RFC 7592) on the real server: the
 * initial access token, the registered client at work, its registration access token for reading, updating and
 * deleting, and the refusals (which say nothing about whether a client exists).
 */
@IntegrationTest
class ClientRegistrationTest extends UsersInDatabaseTest {

    private static final String REDIRECT = "http://127.0.0.1/dcr-callback";
    private static String registrarId;
    private static String registrarSecret;

    @Autowired
    private ClientAdministration administration;

    private final Browser browser = new Browser();

    @Test
    void withoutAnInitialAccessTokenNothingIsRegistered() {
        String name = "No token " + UUID.randomUUID();
        Browser.Response missing = Registrations.post(browser, null, metadata(name));
        JsonNode body = Registrations.error(missing, 401, "invalid_token");
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(body.get("error_description").asString()).contains("initial access token");

        Browser.Response garbage = Registrations.post(browser, "not-a-token", metadata(name));
        Registrations.error(garbage, 401, "invalid_token");
        assertThat(garbage.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");

        Browser.Response basic = browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve(Registrations.PATH))
                .header("Content-Type", "application/json").header("Authorization", OAuth.basic("a", "b"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(metadata(name))).build());
        Registrations.error(basic, 401, "invalid_token");
        assertThat(clientsNamed(name)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CLIENT_REGISTRATION_REFUSED' "
                + "AND details LIKE '%invalid_token%'", Integer.class)).isPositive();
    }

    @Test
    void aTokenWithoutTheScopeIsForbidden() {
        String token = Registrations.clientCredentialsToken(browser, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, "api.read");
        String name = "Wrong scope " + UUID.randomUUID();
        Browser.Response response = Registrations.post(browser, token, metadata(name));
        Registrations.error(response, 403, "insufficient_scope");
        assertThat(response.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
                .contains("scope=\"client.create\"");
        assertThat(clientsNamed(name)).isZero();
    }

    @Test
    void aConfidentialClientIsRegisteredAndGetsTokensWithItsSecret() {
        Browser.Response response = Registrations.post(browser, initialToken(), """
                {"client_name": "Machine %s", "grant_types": ["client_credentials"], "scope": "api.read",
                 "token_endpoint_auth_method": "client_secret_post", "software_id": "ignored", "contacts": ["x@y.z"]}
                """.formatted(UUID.randomUUID()));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.header("Cache-Control")).contains("no-store");
        JsonNode client = OAuth.json(response);
        String clientId = client.get("client_id").asString();
        String secret = client.get("client_secret").asString();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        assertThat(client.get("client_secret_expires_at").asLong()).isZero();
        assertThat(client.get("client_id_issued_at").asLong()).isPositive();
        assertThat(client.get("registration_access_token").asString()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(client.get("registration_client_uri").asString())
                .isEqualTo(ISSUER + "/connect/register/" + clientId);
        assertThat(client.get("token_endpoint_auth_method").asString()).isEqualTo("client_secret_post");
        assertThat(strings(client.get("grant_types"))).containsExactly("client_credentials");
        assertThat(strings(client.get("response_types"))).isEmpty();
        assertThat(client.get("scope").asString()).isEqualTo("api.read");
        assertThat(client.has("software_id")).isFalse();

        Browser.Response tokens = OAuth.post(browser, "/oauth2/token", clientId, null, OAuth.form("grant_type",
                "client_credentials", "scope", "api.read", "client_id", clientId, "client_secret", secret));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(OAuth.isActive(browser, OAuth.json(tokens).get("access_token").asString())).isTrue();

        // stored: the secret as a bcrypt hash, the registration access token as a keyed hash; audited with the actor
        assertThat(jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE client_id = ?",
                String.class, clientId)).startsWith("{bcrypt}").doesNotContain(secret);
        assertThat(jdbc.queryForObject("SELECT token_hash FROM client_registration_tokens WHERE client_id = ?",
                String.class, clientId)).hasSize(64)
                .isNotEqualTo(client.get("registration_access_token").asString());
        assertThat(jdbc.queryForObject("SELECT source FROM oauth2_registered_client WHERE client_id = ?",
                String.class, clientId)).isEqualTo(ClientAdministration.REGISTERED);
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE type = 'CLIENT_CREATED' AND subject = ?",
                String.class, "client:" + clientId)).contains("client:" + registrarId);
    }

    @Test
    void aPublicClientIsRegisteredAndSignsAUserInWithPkceAndConsent() {
        JsonNode client = register("""
                {"client_name": "Public %s", "redirect_uris": ["%s"], "token_endpoint_auth_method": "none",
                 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                 "scope": "openid email", "post_logout_redirect_uris": ["http://127.0.0.1/dcr-bye"]}
                """.formatted(UUID.randomUUID(), REDIRECT));
        String clientId = client.get("client_id").asString();
        assertThat(client.has("client_secret")).isFalse();
        assertThat(client.get("token_endpoint_auth_method").asString()).isEqualTo("none");
        assertThat(strings(client.get("response_types"))).containsExactly("code");
        assertThat(jdbc.queryForObject("SELECT client_settings FROM oauth2_registered_client WHERE client_id = ?",
                String.class, clientId)).contains("\"settings.client.require-proof-key\":true")
                .contains("\"settings.client.require-authorization-consent\":true");

        String email = "dcr-" + UUID.randomUUID() + "@example.com";
        createUser(email, "a long enough password");
        Browser user = new Browser();
        // no PKCE: refused, the client must use it
        Browser.Response withoutPkce = user.get(CodeFlow.authorizeUrl(clientId, REDIRECT, "openid", "s0", null));
        assertThat(withoutPkce.status() == 400 || String.valueOf(withoutPkce.location()).contains("error="))
                .as(withoutPkce.status() + " " + withoutPkce.location()).isTrue();

        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(user, CodeFlow.authorizeUrl(clientId, REDIRECT, "openid email", "s1",
                verifier), email, "a long enough password");
        assertThat(callback.location()).startsWith(REDIRECT);
        Browser.Response tokens = OAuth.post(user, "/oauth2/token", clientId, null, OAuth.form("grant_type",
                "authorization_code", "client_id", clientId, "code", callback.locationParam("code"), "redirect_uri",
                REDIRECT, "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(OAuth.json(tokens).has("id_token")).isTrue();
    }

    @Test
    void aClientRegistersItsKeysPairwiseSubjectsParAndDpopUnderTheirRfcNames() throws Exception {
        String publicKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("dcr-key").generate()
                .toPublicJWK().toJSONString();
        Browser.Response response = Registrations.post(browser, initialToken(), """
                {"client_name": "Keyed %s", "redirect_uris": ["%s"], "token_endpoint_auth_method": "private_key_jwt",
                 "jwks": {"keys": [%s]}, "subject_type": "pairwise", "require_pushed_authorization_requests": true,
                 "dpop_bound_access_tokens": true}""".formatted(UUID.randomUUID(), REDIRECT, publicKey));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode client = OAuth.json(response);
        assertThat(client.has("client_secret")).as("a key-based client gets no secret").isFalse();
        assertThat(client.get("token_endpoint_auth_method").asString()).isEqualTo("private_key_jwt");
        assertThat(client.get("jwks").get("keys").get(0).get("kid").asString()).isEqualTo("dcr-key");
        assertThat(client.get("jwks").get("keys").get(0).has("d")).isFalse();
        assertThat(client.get("subject_type").asString()).isEqualTo("pairwise");
        assertThat(client.get("require_pushed_authorization_requests").asBoolean()).isTrue();
        assertThat(client.get("dpop_bound_access_tokens").asBoolean()).isTrue();
        String clientId = client.get("client_id").asString();
        assertThat(jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE client_id = ?",
                String.class, clientId)).isNull();
        assertThat(jdbc.queryForObject("SELECT client_authentication_methods FROM oauth2_registered_client "
                + "WHERE client_id = ?", String.class, clientId)).isEqualTo("private_key_jwt");
    }

    @Test
    void keysThatCannotServeAreRefused() throws Exception {
        String privateKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate().toJSONString();
        String secretKey = new com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator(256).generate().toJSONString();
        for (String keys : List.of("{\"keys\": [" + privateKey + "]}", "{\"keys\": [" + secretKey + "]}",
                "{\"keys\": []}", "{\"keys\": [{\"kty\": \"RSA\", \"n\": \"<script>\"}]}")) {
            String name = "Bad keys " + UUID.randomUUID();
            Browser.Response refused = Registrations.post(browser, initialToken(), """
                    {"client_name": "%s", "grant_types": ["client_credentials"], "scope": "api.read",
                     "token_endpoint_auth_method": "private_key_jwt", "jwks": %s}""".formatted(name, keys));
            JsonNode body = Registrations.error(refused, 400, "invalid_client_metadata");
            assertThat(body.get("error_description").asString()).contains("jwks");
            assertThat(clientsNamed(name)).isZero();
        }
        for (String metadata : List.of(
                "\"token_endpoint_auth_method\": \"private_key_jwt\"",
                "\"token_endpoint_auth_method\": \"private_key_jwt\", \"jwks_uri\": \"http://keys.example/jwks\"",
                "\"token_endpoint_auth_method\": \"client_secret_jwt\"",
                "\"subject_type\": \"secret\"")) {
            String name = "Bad auth " + UUID.randomUUID();
            Browser.Response refused = Registrations.post(browser, initialToken(), """
                    {"client_name": "%s", "grant_types": ["client_credentials"], "scope": "api.read", %s}"""
                    .formatted(name, metadata));
            Registrations.error(refused, 400, "invalid_client_metadata");
            assertThat(clientsNamed(name)).as(metadata).isZero();
        }
    }

    @Test
    void aClientReadsItsRegistrationWithItsOwnTokenOnly() {
        JsonNode first = register(confidentialCodeClient("Reader"));
        JsonNode second = register(confidentialCodeClient("Other"));
        String uri = first.get("registration_client_uri").asString();
        String token = first.get("registration_access_token").asString();

        Browser.Response read = Registrations.send(browser, "GET", uri, token, null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("Cache-Control")).contains("no-store");
        JsonNode current = OAuth.json(read);
        assertThat(current.get("client_id").asString()).isEqualTo(first.get("client_id").asString());
        assertThat(current.has("client_secret")).as("the secret is shown once, at registration").isFalse();
        assertThat(current.get("registration_access_token").asString()).isEqualTo(token);
        assertThat(strings(current.get("redirect_uris"))).containsExactly(REDIRECT);
        assertThat(current.get("client_name").asString()).isEqualTo(first.get("client_name").asString());

        Browser.Response othersToken = Registrations.send(browser, "GET", uri,
                second.get("registration_access_token").asString(), null);
        Browser.Response unknownClient = Registrations.send(browser, "GET", Registrations.PATH + "/no-such-client",
                token, null);
        Browser.Response garbage = Registrations.send(browser, "GET", uri, "garbage", null);
        Browser.Response initialToken = Registrations.send(browser, "GET", uri, initialToken(), null);
        Browser.Response none = Registrations.send(browser, "GET", uri, null, null);
        Browser.Response hostileId = Registrations.send(browser, "GET",
                Registrations.PATH + "/%27%20OR%201=1--", token, null);
        for (Browser.Response refused : List.of(othersToken, unknownClient, garbage, initialToken, hostileId)) {
            JsonNode error = Registrations.error(refused, 401, "invalid_token");
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
            assertThat(error.toString()).doesNotContain(first.get("client_id").asString());
        }
        // an unknown client and another client's token are told apart by nothing
        assertThat(OAuth.json(unknownClient)).isEqualTo(OAuth.json(othersToken));
        Registrations.error(none, 401, "invalid_token");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void anUpdateReplacesTheMetadataAndRotatesTheRegistrationAccessToken() {
        JsonNode registered = register(confidentialCodeClient("Updated"));
        String clientId = registered.get("client_id").asString();
        String uri = registered.get("registration_client_uri").asString();
        String token = registered.get("registration_access_token").asString();
        String secret = registered.get("client_secret").asString();

        Browser.Response wrongId = Registrations.send(browser, "PUT", uri, token, """
                {"client_id": "someone-else", "redirect_uris": ["https://app.example.com/cb"]}""");
        Registrations.error(wrongId, 400, "invalid_client_metadata");
        Browser.Response wrongSecret = Registrations.send(browser, "PUT", uri, token, """
                {"client_id": "%s", "client_secret": "not-the-secret", "redirect_uris": ["https://app.example.com/cb"]}
                """.formatted(clientId));
        Registrations.error(wrongSecret, 400, "invalid_client_metadata");
        Browser.Response badRedirect = Registrations.send(browser, "PUT", uri, token, """
                {"client_id": "%s", "redirect_uris": ["http://evil.example.com/cb"]}""".formatted(clientId));
        Registrations.error(badRedirect, 400, "invalid_redirect_uri");
        assertThat(jdbc.queryForObject("SELECT redirect_uris FROM oauth2_registered_client WHERE client_id = ?",
                String.class, clientId)).as("a refused update changes nothing").isEqualTo(REDIRECT);

        Browser.Response updated = Registrations.send(browser, "PUT", uri, token, """
                {"client_id": "%s", "client_secret": "%s", "client_name": "Renamed",
                 "redirect_uris": ["https://app.example.com/cb"], "scope": "openid profile",
                 "grant_types": ["authorization_code", "client_credentials"]}""".formatted(clientId, secret));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        JsonNode client = OAuth.json(updated);
        assertThat(client.get("client_name").asString()).isEqualTo("Renamed");
        assertThat(strings(client.get("redirect_uris"))).containsExactly("https://app.example.com/cb");
        assertThat(client.get("scope").asString()).isEqualTo("openid profile");
        assertThat(client.has("client_secret")).as("the secret is kept, not shown").isFalse();
        String newToken = client.get("registration_access_token").asString();
        assertThat(newToken).isNotEqualTo(token);

        Registrations.error(Registrations.send(browser, "GET", uri, token, null), 401, "invalid_token");
        assertThat(Registrations.send(browser, "GET", uri, newToken, null).status()).isEqualTo(200);
        // the secret still works
        assertThat(OAuth.post(browser, "/oauth2/token", clientId, secret, OAuth.form("grant_type",
                "client_credentials")).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE type = 'CLIENT_UPDATED' AND subject = ?",
                String.class, "client:" + clientId)).contains("client:" + clientId);
    }

    @Test
    void aDeletedClientIsGoneWithItsTokens() {
        JsonNode registered = register(confidentialCodeClient("Deleted"));
        String clientId = registered.get("client_id").asString();
        String uri = registered.get("registration_client_uri").asString();
        String token = registered.get("registration_access_token").asString();
        String secret = registered.get("client_secret").asString();
        String accessToken = Registrations.clientCredentialsToken(browser, clientId, secret, "openid");
        assertThat(OAuth.isActive(browser, accessToken)).isTrue();

        Registrations.error(Registrations.send(browser, "DELETE", uri, "garbage", null), 401, "invalid_token");
        Browser.Response deleted = Registrations.send(browser, "DELETE", uri, token, null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_id = ?",
                Integer.class, clientId)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM client_registration_tokens WHERE client_id = ?",
                Integer.class, clientId)).isZero();
        Registrations.error(Registrations.send(browser, "GET", uri, token, null), 401, "invalid_token");
        Registrations.error(Registrations.send(browser, "DELETE", uri, token, null), 401, "invalid_token");
        assertThat(OAuth.isActive(browser, accessToken)).as("its tokens are revoked").isFalse();
        assertThat(OAuth.post(browser, "/oauth2/token", clientId, secret, OAuth.form("grant_type",
                "client_credentials")).status()).isEqualTo(401);
    }

    @Test
    void onlyAClientAnAdminDeclaredMayHandOutInitialAccessTokens() {
        // a client that registered itself cannot make more, even with the scope (here given by other means)
        ClientAdministration.IssuedClient registered = administration.create(null, new ClientDraft("Self-made", true,
                List.of("client_credentials"), null, null, List.of("client.create"), null, null, null, null, null, null,
                null), ClientAdministration.REGISTERED, "test");
        String token = Registrations.clientCredentialsToken(browser, registered.client().clientId(),
                registered.secret(), "client.create");
        Registrations.error(Registrations.post(browser, token, metadata("From registered")), 401, "invalid_token");

        // a revoked initial access token, and one of a client disabled since
        String revoked = initialToken();
        assertThat(OAuth.post(browser, "/oauth2/revoke", registrarId, registrarSecret, OAuth.form("token", revoked))
                .status()).isEqualTo(200);
        Registrations.error(Registrations.post(browser, revoked, metadata("Revoked")), 401, "invalid_token");

        ClientAdministration.IssuedClient disabled = administration.create(null, new ClientDraft("Registrar", true,
                List.of("client_credentials"), null, null, List.of("client.create"), null, null, null, null, null, null,
                null), ClientAdministration.ADMINISTERED, "test");
        String beforeDisabling = Registrations.clientCredentialsToken(browser, disabled.client().clientId(),
                disabled.secret(), "client.create");
        assertThat(Registrations.post(browser, beforeDisabling, confidentialCodeClient("Allowed")).status())
                .isEqualTo(201);
        administration.disable(disabled.client().clientId(), "test");
        Registrations.error(Registrations.post(browser, beforeDisabling, metadata("Disabled")), 401, "invalid_token");
        assertThat(clientsNamed("From registered") + clientsNamed("Revoked") + clientsNamed("Disabled")).isZero();
    }

    @Test
    void aSoftwareStatementIsRefusedWhenNoIssuerIsTrusted() {
        Browser.Response response = Registrations.post(browser, initialToken(), """
                {"redirect_uris": ["%s"], "software_statement": "eyJhbGciOiJub25lIn0.eyJzb2Z0d2FyZV9pZCI6IngifQ."}
                """.formatted(REDIRECT));
        Registrations.error(response, 400, "unapproved_software_statement");
    }

    private JsonNode register(String json) {
        Browser.Response response = Registrations.post(browser, initialToken(), json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return OAuth.json(response);
    }

    /** A fresh initial access token of an administered client with client_credentials and client.create. */
    private String initialToken() {
        synchronized (ClientRegistrationTest.class) {
            if (registrarId == null) {
                ClientAdministration.IssuedClient registrar = administration.create(null, new ClientDraft(
                        "Registrar", true, List.of("client_credentials"), null, null, List.of("client.create"), null,
                        null, null, null, null, null, null), ClientAdministration.ADMINISTERED, "test");
                registrarId = registrar.client().clientId();
                registrarSecret = registrar.secret();
            }
        }
        return Registrations.clientCredentialsToken(browser, registrarId, registrarSecret, "client.create");
    }

    static String confidentialCodeClient(String name) {
        return """
                {"client_name": "%s %s", "redirect_uris": ["%s"], "grant_types": ["authorization_code", "client_credentials"],
                 "scope": "openid"}""".formatted(name, UUID.randomUUID().toString().substring(0, 8), REDIRECT);
    }

    static String metadata(String name) {
        return """
                {"client_name": "%s", "redirect_uris": ["%s"]}""".formatted(name, REDIRECT);
    }

    private int clientsNamed(String name) {
        return jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_name = ?", Integer.class,
                name);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
