package io.latchkey.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static io.latchkey.support.TestServerInitializer.RESOURCE_SERVER_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients declared in configuration end up registered, with hashed secrets and PKCE required, and can be
 * updated in place.
 */
@IntegrationTest
class ConfiguredClientsTest extends UsersInDatabaseTest {

    private static final String USER_PASSWORD = "configured clients passphrase";

    @Autowired
    ClientRegistrations registrations;

    private final Browser browser = new Browser();

    @Test
    void configuredClientsAreRegistered() {
        List<String> clientIds = jdbc.queryForList("SELECT client_id FROM oauth2_registered_client", String.class);

        assertThat(clientIds).contains(CONFIDENTIAL_CLIENT, PUBLIC_CLIENT, TRUSTED_CLIENT);
        assertThat(clientIds).as("no demo client outside evaluation mode").doesNotContain(ClientBootstrap.DEMO_CLIENT_ID);
    }

    @Test
    void confidentialClientSecretIsStoredAsBcryptHash() {
        Map<String, Object> row = row(CONFIDENTIAL_CLIENT);
        String stored = (String) row.get("client_secret");

        assertThat(stored).startsWith("{bcrypt}$2").doesNotContain(CONFIDENTIAL_SECRET);
        assertThat((String) row.get("client_authentication_methods")).contains("client_secret_basic")
                .doesNotContain("none");
        assertThat(setting(row, "settings.client.require-proof-key").asBoolean()).as("PKCE for every client").isTrue();
        assertThat(setting(row, "settings.client.require-authorization-consent").asBoolean()).isTrue();
    }

    @Test
    void aConfidentialClientMustSendPkceUnlessItOptsOut() {
        String email = TestUsers.uniqueEmail("pkce");
        createUser(email, USER_PASSWORD);
        Browser session = new Browser();
        session.signIn(email, USER_PASSWORD);
        Browser.Response withoutPkce = session.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid", "no-pkce", null));
        assertThat(withoutPkce.location()).startsWith(CONFIDENTIAL_REDIRECT + "?");
        assertThat(withoutPkce.locationParam("error")).isEqualTo("invalid_request");
        assertThat(withoutPkce.locationParam("error_description")).contains("code_challenge");

        String clientId = "no-pkce-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "no-pkce-secret-" + UUID.randomUUID();
        String redirectUri = "https://no-pkce.latchkey.test/callback";
        registrations.upsert(clientId, new ClientDefinition(secret, List.of("authorization_code"), List.of(redirectUri),
                null, List.of("openid"), false, null, null, null, null, null, null, false));
        assertThat(setting(row(clientId), "settings.client.require-proof-key").asBoolean()).isFalse();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(clientId, redirectUri, "openid", "opt-out",
                null), email, USER_PASSWORD);
        Browser.Response tokens = OAuth.post(session, "/oauth2/token", clientId, secret, OAuth.form("grant_type",
                "authorization_code", "code", callback.locationParam("code"), "redirect_uri", redirectUri));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    }

    @Test
    void publicClientHasNoSecretAndRequiresAProofKey() {
        Map<String, Object> row = row(PUBLIC_CLIENT);

        assertThat(row.get("client_secret")).isNull();
        assertThat((String) row.get("client_authentication_methods")).isEqualTo("none");
        assertThat(setting(row, "settings.client.require-proof-key").asBoolean()).isTrue();
    }

    @Test
    void theResourceServerDeclarationIsStoredAsASetting() {
        assertThat(setting(row(RESOURCE_SERVER_CLIENT), "settings.latchkey.resource-server").asBoolean()).isTrue();
        assertThat(setting(row(CONFIDENTIAL_CLIENT), "settings.latchkey.resource-server").asBoolean()).isFalse();
    }

    @Test
    void upsertKeepsTheIdAndHashAndAChangedSecretReplacesTheOldOne() {
        String clientId = "rotating-" + UUID.randomUUID().toString().substring(0, 8);
        String firstSecret = "first-secret-" + UUID.randomUUID();
        String secondSecret = "second-secret-" + UUID.randomUUID();

        RegisteredClient created = registrations.upsert(clientId, machineClient(firstSecret));
        Map<String, Object> first = row(clientId);
        assertThat(first.get("id")).isEqualTo(created.getId());
        String firstHash = (String) first.get("client_secret");
        assertThat(firstHash).startsWith("{bcrypt}$2").doesNotContain(firstSecret);
        assertThat(tokenStatus(clientId, firstSecret)).isEqualTo(200);

        registrations.upsert(clientId, machineClient(firstSecret));
        Map<String, Object> again = row(clientId);
        assertThat(again.get("id")).isEqualTo(created.getId());
        assertThat(again.get("client_secret")).as("an unchanged secret is not hashed again").isEqualTo(firstHash);
        assertThat(tokenStatus(clientId, firstSecret)).isEqualTo(200);

        registrations.upsert(clientId, machineClient(secondSecret));
        Map<String, Object> changed = row(clientId);
        assertThat(changed.get("id")).isEqualTo(created.getId());
        assertThat((String) changed.get("client_secret")).startsWith("{bcrypt}$2").isNotEqualTo(firstHash)
                .doesNotContain(secondSecret);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?",
                Integer.class, clientId)).isEqualTo(1);

        Browser.Response oldSecret = token(clientId, firstSecret);
        assertThat(oldSecret.status()).isEqualTo(401);
        assertThat(OAuth.json(oldSecret).get("error").asString()).isEqualTo("invalid_client");
        assertThat(tokenStatus(clientId, secondSecret)).isEqualTo(200);
    }

    @Test
    void upsertAppliesChangedSettings() {
        String clientId = "rotating-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "settings-secret-" + UUID.randomUUID();
        registrations.upsert(clientId, machineClient(secret));

        registrations.upsert(clientId, new ClientDefinition(secret, List.of("client_credentials"), null, null,
                List.of("api.write"), false, java.time.Duration.ofMinutes(2), null));

        Map<String, Object> row = row(clientId);
        assertThat((String) row.get("scopes")).isEqualTo("api.write");
        assertThat(setting(row, "settings.client.require-authorization-consent").asBoolean()).isFalse();
        Browser.Response oldScope = token(clientId, secret);
        assertThat(oldScope.status()).isEqualTo(400);
        assertThat(OAuth.json(oldScope).get("error").asString()).isEqualTo("invalid_scope");
        Browser.Response newScope = OAuth.post(browser, "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "client_credentials", "scope", "api.write"));
        assertThat(newScope.status()).as(newScope.body()).isEqualTo(200);
        assertThat(OAuth.json(newScope).get("expires_in").asLong()).isBetween(100L, 120L);
    }

    private static ClientDefinition machineClient(String secret) {
        return new ClientDefinition(secret, List.of("client_credentials"), null, null, List.of("api.read"), null, null,
                null);
    }

    private Map<String, Object> row(String clientId) {
        return jdbc.queryForMap("SELECT id, client_secret, client_authentication_methods, scopes, client_settings "
                + "FROM oauth2_registered_client WHERE client_id = ?", clientId);
    }

    private static JsonNode setting(Map<String, Object> row, String name) {
        JsonNode settings = OAuth.json((String) row.get("client_settings"));
        assertThat(settings.has(name)).as(name + " in " + settings).isTrue();
        return settings.get(name);
    }

    private Browser.Response token(String clientId, String secret) {
        return OAuth.post(browser, "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
    }

    private int tokenStatus(String clientId, String secret) {
        Browser.Response response = token(clientId, secret);
        if (response.status() == 200) {
            assertThat(OAuth.json(response).get("access_token").asString()).isNotBlank();
        }
        return response.status();
    }
}
