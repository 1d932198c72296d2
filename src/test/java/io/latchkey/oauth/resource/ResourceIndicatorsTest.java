package io.latchkey.oauth.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import io.latchkey.client.ClientAdministration;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestAddresses;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resource indicators (RFC 8707): {@code resource} at the authorization and token endpoints decides the access
 * token's {@code aud}; unknown or malformed ones are {@code invalid_target}; a code's tokens may only narrow what was
 * authorized, a refresh may downscope to one of it; a resource server with an indicator introspects only tokens
 * meant for it.
 */
@IntegrationTest
class ResourceIndicatorsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "resource indicators passphrase";
    private static final String API = TestServerInitializer.ISSUER + "/api";

    private static ResourceTestClients.Client app;
    private static ResourceTestClients.Client orders;
    private static ResourceTestClients.Client billing;
    private static ResourceTestClients.Client stock;

    @Autowired
    private ClientAdministration administration;

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void clientsAndUser() {
        if (app == null) {
            app = ResourceTestClients.app(administration, "ri-app", "openid orders.read");
            orders = ResourceTestClients.resourceServer(administration, "ri-orders", List.of());
            billing = ResourceTestClients.resourceServer(administration, "ri-billing", List.of());
            stock = ResourceTestClients.resourceServer(administration, "ri-stock", List.of());
        }
        email = TestUsers.uniqueEmail("resource");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Resourceful");
    }

    @Test
    void theResourcesOfTheAuthorizationBecomeTheAudienceAndTheTokenRequestMayOnlyNarrowThem() {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(app.id(), ResourceTestClients.REDIRECT,
                "openid orders.read", "s", verifier, "resource", orders.resourceIndicator(), "resource",
                billing.resourceIndicator()), email, PASSWORD);
        String code = callback.locationParam("code");
        // a resource the authorization did not name: refused, and the code still works
        Browser.Response widened = token(app, "grant_type", "authorization_code", "code", code, "redirect_uri",
                ResourceTestClients.REDIRECT, "code_verifier", verifier, "resource", stock.resourceIndicator());
        assertInvalidTarget(widened);

        Browser.Response narrowed = token(app, "grant_type", "authorization_code", "code", code, "redirect_uri",
                ResourceTestClients.REDIRECT, "code_verifier", verifier, "resource", orders.resourceIndicator());
        assertThat(narrowed.status()).as(narrowed.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(narrowed);
        assertThat(audience(tokens.get("access_token").asString())).containsExactly(orders.resourceIndicator());
        String refreshToken = tokens.get("refresh_token").asString();

        // downscoping on refresh to the other resource of the authorization
        Browser.Response refreshed = token(app, "grant_type", "refresh_token", "refresh_token", refreshToken,
                "resource", billing.resourceIndicator());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        JsonNode second = OAuth.json(refreshed);
        assertThat(audience(second.get("access_token").asString())).containsExactly(billing.resourceIndicator());
        // without a resource, the refresh gets what was authorized
        Browser.Response plain = token(app, "grant_type", "refresh_token", "refresh_token",
                second.get("refresh_token").asString());
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(audience(OAuth.json(plain).get("access_token").asString()))
                .containsExactly(orders.resourceIndicator(), billing.resourceIndicator());
        // a resource outside the authorization: refused on refresh too
        assertInvalidTarget(token(app, "grant_type", "refresh_token", "refresh_token",
                OAuth.json(plain).get("refresh_token").asString(), "resource", stock.resourceIndicator()));
    }

    @Test
    void withoutResourcesTheAudienceIsTheClientAsBefore() {
        JsonNode tokens = ResourceTestClients.signIn(browser, app, email, PASSWORD, "openid orders.read");
        assertThat(audience(tokens.get("access_token").asString())).containsExactly(app.id());
        // a code whose authorization named no resource cannot be turned into a token for one
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(app.id(), ResourceTestClients.REDIRECT,
                "openid", "s", verifier), email, PASSWORD);
        assertInvalidTarget(token(app, "grant_type", "authorization_code", "code", callback.locationParam("code"),
                "redirect_uri", ResourceTestClients.REDIRECT, "code_verifier", verifier, "resource",
                orders.resourceIndicator()));
    }

    @Test
    void thePasswordGrantTakesAKnownResourceAndItsRefreshStaysWithinIt() {
        ResourceTestClients.Client firstParty = new ResourceTestClients.Client(TestServerInitializer.FIRST_PARTY_CLIENT,
                TestServerInitializer.FIRST_PARTY_SECRET, null);
        Browser.Response issued = token(firstParty, "grant_type", "password", "username", email, "password", PASSWORD,
                "scope", "openid", "resource", orders.resourceIndicator());
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(issued);
        assertThat(audience(tokens.get("access_token").asString())).containsExactly(orders.resourceIndicator());
        assertInvalidTarget(token(firstParty, "grant_type", "refresh_token", "refresh_token",
                tokens.get("refresh_token").asString(), "resource", billing.resourceIndicator()));
        Browser.Response refreshed = token(firstParty, "grant_type", "refresh_token", "refresh_token",
                tokens.get("refresh_token").asString(), "resource", orders.resourceIndicator());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(audience(OAuth.json(refreshed).get("access_token").asString()))
                .containsExactly(orders.resourceIndicator());
        assertInvalidTarget(token(firstParty, "grant_type", "password", "username", email, "password", PASSWORD,
                "resource", "https://unknown.latchkey.test/api"));
    }

    @Test
    void unknownOrMalformedResourcesAtTheAuthorizationEndpointAreInvalidTargetAtTheRedirectUri() {
        browser.signIn(email, PASSWORD);
        for (String resource : new String[] { "https://unknown.latchkey.test/api", "relative/path",
                orders.resourceIndicator() + "#fragment", "https://x.test/" + "a".repeat(600),
                "<script>alert(1)</script>", "' OR '1'='1", "https://ünïcode.test/api" }) {
            Browser.Response response = browser.get(CodeFlow.authorizeUrl(app.id(), ResourceTestClients.REDIRECT,
                    "openid", "st", OAuth.randomVerifier(), "resource", resource));
            assertThat(response.status()).as(resource).isEqualTo(302);
            assertThat(response.location()).as(resource).startsWith(ResourceTestClients.REDIRECT);
            assertThat(response.locationParam("error")).as(resource).isEqualTo("invalid_target");
            assertThat(response.locationParam("state")).isEqualTo("st");
        }
    }

    @Test
    void clientCredentialsTakeAnyKnownResource() {
        Browser.Response forApi = token(app, "grant_type", "client_credentials", "scope", "orders.read", "resource", API);
        assertThat(forApi.status()).as(forApi.body()).isEqualTo(200);
        assertThat(audience(OAuth.json(forApi).get("access_token").asString())).containsExactly(API);

        Browser.Response two = token(app, "grant_type", "client_credentials", "resource", orders.resourceIndicator(),
                "resource", billing.resourceIndicator());
        assertThat(two.status()).as(two.body()).isEqualTo(200);
        assertThat(audience(OAuth.json(two).get("access_token").asString()))
                .containsExactly(orders.resourceIndicator(), billing.resourceIndicator());

        Browser.Response none = token(app, "grant_type", "client_credentials");
        assertThat(audience(OAuth.json(none).get("access_token").asString())).containsExactly(app.id());
    }

    @Test
    void badResourcesAtTheTokenEndpointAreInvalidTargetJsonNeverAServerError() {
        List<String> bad = new ArrayList<>(List.of("", "https://unknown.latchkey.test/api", "not a uri", "relative",
                orders.resourceIndicator() + "#f", "https://x.test/" + "a".repeat(5000), "https://a.test/\u0000b",
                "<script>alert(1)</script>", "'; DROP TABLE oauth2_registered_client; --", "https://ünïcode.test/",
                "%00", "javascript:alert(1)"));
        for (String resource : bad) {
            Browser.Response response = token(app, "grant_type", "client_credentials", "resource", resource);
            assertInvalidTarget(response);
        }
        List<String> many = new ArrayList<>(List.of("grant_type", "client_credentials"));
        for (int i = 0; i < 6; i++) {
            many.add("resource");
            many.add(orders.resourceIndicator());
            many.add("resource");
            many.add(API + "/" + i);
        }
        assertInvalidTarget(token(app, many.toArray(String[]::new)));
    }

    @Test
    void aResourceServerWithAnIndicatorIntrospectsOnlyTokensMeantForIt() {
        Browser.Response issued = token(app, "grant_type", "client_credentials", "resource", orders.resourceIndicator());
        String token = OAuth.json(issued).get("access_token").asString();
        JsonNode forOrders = introspect(orders, token);
        assertThat(forOrders.get("active").asBoolean()).isTrue();
        assertThat(forOrders.get("client_id").asString()).isEqualTo(app.id());
        assertThat(introspect(billing, token).toString()).isEqualTo("{\"active\":false}");

        JsonNode tokens = ResourceTestClients.signIn(browser, app, email, PASSWORD, "openid orders.read", "resource",
                billing.resourceIndicator());
        String userToken = tokens.get("access_token").asString();
        assertThat(introspect(billing, userToken).get("active").asBoolean()).isTrue();
        assertThat(introspect(orders, userToken).toString()).isEqualTo("{\"active\":false}");
        // a client without an indicator is still answered for its own tokens
        assertThat(introspect(app, userToken).get("active").asBoolean()).isTrue();
    }

    private Browser.Response token(ResourceTestClients.Client client, String... keyValues) {
        List<Map.Entry<String, String>> form = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            form.add(Map.entry(keyValues[i], keyValues[i + 1]));
        }
        return browser.postForm("/oauth2/token", form, "Authorization", OAuth.basic(client.id(), client.secret()),
                "Accept", "application/json", "X-Forwarded-For", TestAddresses.unique());
    }

    private JsonNode introspect(ResourceTestClients.Client client, String token) {
        Browser.Response response = OAuth.post(browser, "/oauth2/introspect", client.id(), client.secret(),
                OAuth.form("token", token));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private static List<String> audience(String jwt) {
        JsonNode aud = ResourceTestClients.part(jwt, 1).get("aud");
        List<String> values = new ArrayList<>();
        if (aud.isArray()) {
            aud.forEach(value -> values.add(value.asString()));
        }
        else {
            values.add(aud.asString());
        }
        return values;
    }

    private static void assertInvalidTarget(Browser.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("json");
        assertThat(OAuth.json(response).get("error").asString()).as(response.body()).isEqualTo("invalid_target");
    }
}
