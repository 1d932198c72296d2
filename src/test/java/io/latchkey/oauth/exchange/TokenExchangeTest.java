package io.latchkey.oauth.exchange;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import io.latchkey.client.ClientAdministration;
import io.latchkey.oauth.resource.ResourceTestClients;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token exchange (RFC 8693), delegation: a service (orders) that was given a user's token exchanges it for a
 * short-lived token for a service it may call (stock), which names it in {@code act}. Only a confidential client
 * with the grant, only for its targets, only for an active user token given to it.
 */
@IntegrationTest
class TokenExchangeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "token exchange passphrase";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static ResourceTestClients.Client app;
    private static ResourceTestClients.Client stock;
    private static ResourceTestClients.Client orders;
    private static ResourceTestClients.Client billing;
    private static ResourceTestClients.Client plainService;

    @Autowired
    private ClientAdministration administration;

    private final Browser browser = new Browser();
    private String email;
    private String userSubject;

    @BeforeEach
    void clientsAndUser() {
        if (app == null) {
            app = ResourceTestClients.app(administration, "tx-app", "openid orders.read orders.write");
            stock = ResourceTestClients.resourceServer(administration, "tx-stock", List.of());
            orders = ResourceTestClients.resourceServer(administration, "tx-orders", List.of(stock.resourceIndicator()));
            billing = ResourceTestClients.resourceServer(administration, "tx-billing", List.of(stock.resourceIndicator()));
            plainService = ResourceTestClients.resourceServer(administration, "tx-plain", List.of());
        }
        email = TestUsers.uniqueEmail("exchange");
        userSubject = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Delegating").toString();
    }

    @Test
    void aServiceExchangesAUsersTokenForANarrowerShortLivedTokenForItsTarget() throws Exception {
        String userToken = userTokenFor(orders);
        TokenRequest request = new TokenRequest.Builder(URI.create(TestServerInitializer.ISSUER + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(orders.id()), new Secret(orders.secret())),
                new TokenExchangeGrant(new TypelessAccessToken(userToken), TokenTypeURI.ACCESS_TOKEN))
                .scope(new Scope("orders.read"))
                .resource(URI.create(stock.resourceIndicator()))
                .build();
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response.toHTTPResponse().getBody())).isTrue();
        AccessTokenResponse success = response.toSuccessResponse();
        assertThat(success.getTokens().getRefreshToken()).isNull();
        assertThat(success.getTokens().getAccessToken().getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
        String exchanged = success.getTokens().getAccessToken().getValue();

        JsonNode header = ResourceTestClients.part(exchanged, 0);
        JsonNode claims = ResourceTestClients.part(exchanged, 1);
        assertThat(header.get("typ").asString()).isEqualTo("at+jwt");
        assertThat(claims.get("sub").asString()).isEqualTo(userSubject);
        assertThat(audience(claims)).containsExactly(stock.resourceIndicator());
        assertThat(claims.get("act").get("sub").asString()).isEqualTo(orders.id());
        assertThat(claims.get("scope").asString()).isEqualTo("orders.read");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isLessThanOrEqualTo(300);

        // the target takes it (introspection with its indicator), the exchanging service does not
        JsonNode atStock = introspect(stock, exchanged);
        assertThat(atStock.get("active").asBoolean()).isTrue();
        assertThat(atStock.get("sub").asString()).isEqualTo(userSubject);
        assertThat(introspect(orders, exchanged).toString()).isEqualTo("{\"active\":false}");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'TOKEN_EXCHANGED' AND subject = ?"
                + " AND details LIKE '%succeeded%'", Long.class, "client:" + orders.id())).isPositive();
    }

    @Test
    void withoutScopeTheSubjectTokensScopesAndAnActorTokenMustBeTheClientsOwn() {
        String userToken = userTokenFor(orders);
        Browser.Response all = exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN,
                "audience", stock.resourceIndicator());
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        JsonNode answer = OAuth.json(all);
        assertThat(answer.has("refresh_token")).isFalse();
        assertThat(answer.get("issued_token_type").asString()).isEqualTo(ACCESS_TOKEN);
        assertThat(List.of(ResourceTestClients.part(answer.get("access_token").asString(), 1).get("scope").asString()
                .split(" "))).containsExactlyInAnyOrder("openid", "orders.read", "orders.write");

        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator(), "scope", "orders.read admin"), 400, "invalid_scope");

        String ownToken = clientCredentials(orders);
        Browser.Response withActor = exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN,
                "resource", stock.resourceIndicator(), "actor_token", ownToken, "actor_token_type", ACCESS_TOKEN);
        assertThat(withActor.status()).as(withActor.body()).isEqualTo(200);
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator(), "actor_token", clientCredentials(billing), "actor_token_type", ACCESS_TOKEN),
                400, "invalid_grant");
    }

    @Test
    void refusedForAClientWithoutTheGrantAndForTargetsNotInItsList() {
        String userToken = userTokenFor(orders);
        assertError(exchange(plainService, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator()), 400, "unauthorized_client");
        assertError(exchange(app, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator()), 400, "unauthorized_client");
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                billing.resourceIndicator()), 400, "invalid_target");
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "audience",
                "somebody-else"), 400, "invalid_target");
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN), 400,
                "invalid_target");
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator(), "audience", billing.resourceIndicator()), 400, "invalid_target");
    }

    @Test
    void refusedForSubjectTokensNotGivenToTheClientOrNotActiveOrNotAUsersAccessToken() throws Exception {
        // meant for orders, presented by billing
        String userToken = userTokenFor(orders);
        assertError(exchange(billing, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator()), 400, "invalid_grant");
        // a client's own token is no user's
        assertError(exchange(orders, "subject_token", clientCredentials(orders), "subject_token_type", ACCESS_TOKEN,
                "resource", stock.resourceIndicator()), 400, "invalid_grant");
        // an ID token
        JsonNode tokens = ResourceTestClients.signIn(browser, app, email, PASSWORD, "openid orders.read", "resource",
                orders.resourceIndicator());
        assertError(exchange(orders, "subject_token", tokens.get("id_token").asString(), "subject_token_type",
                ACCESS_TOKEN, "resource", stock.resourceIndicator()), 400, "invalid_grant");
        // revoked by its client
        String revoked = tokens.get("access_token").asString();
        Browser.Response revocation = OAuth.post(browser, "/oauth2/revoke", app.id(), app.secret(),
                OAuth.form("token", revoked, "token_type_hint", "access_token"));
        assertThat(revocation.status()).isEqualTo(200);
        assertError(exchange(orders, "subject_token", revoked, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator()), 400, "invalid_grant");
        // expired
        ResourceTestClients.Client quick = ResourceTestClients.app(administration, "tx-quick", "openid orders.read",
                Duration.ofSeconds(1));
        String expiring = ResourceTestClients.signIn(browser, quick, email, PASSWORD, "openid orders.read", "resource",
                orders.resourceIndicator()).get("access_token").asString();
        Thread.sleep(2100);
        assertError(exchange(orders, "subject_token", expiring, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator()), 400, "invalid_grant");
    }

    @Test
    void badInputIsAFourHundredJsonErrorNeverAServerError() {
        String userToken = userTokenFor(orders);
        List<String> garbage = List.of("garbage", "a.b.c", userToken + "x", "x".repeat(20000), "abc\u0000def",
                "<script>alert(1)</script>", "' OR '1'='1' --", "'; DROP TABLE authorizations; --", "ünïcödé", " ");
        for (String subject : garbage) {
            assertError(exchange(orders, "subject_token", subject, "subject_token_type", ACCESS_TOKEN, "resource",
                    stock.resourceIndicator()), 400, null);
        }
        List<String> badResources = List.of("relative", stock.resourceIndicator() + "#f", "https://x.test/\u0000",
                "<script>alert(1)</script>", "' OR 1=1 --", "https://x.test/" + "a".repeat(5000));
        for (String resource : badResources) {
            assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                    resource), 400, null);
        }
        // missing or wrong parameters
        assertError(exchange(orders, "subject_token_type", ACCESS_TOKEN, "resource", stock.resourceIndicator()), 400,
                "invalid_request");
        assertError(exchange(orders, "subject_token", userToken, "resource", stock.resourceIndicator()), 400,
                "invalid_request");
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type",
                "urn:ietf:params:oauth:token-type:id_token", "resource", stock.resourceIndicator()), 400, null);
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator(), "requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"),
                400, null);
        assertError(exchange(orders, "subject_token", userToken, "subject_token_type", ACCESS_TOKEN, "resource",
                stock.resourceIndicator(), "actor_token", "garbage"), 400, "invalid_request");
        // a wrong secret stays a client authentication failure
        Browser.Response wrongSecret = browser.postForm("/oauth2/token", List.of(Map.entry("grant_type", GRANT),
                Map.entry("subject_token", userToken), Map.entry("subject_token_type", ACCESS_TOKEN)),
                "Authorization", OAuth.basic(orders.id(), "wrong-secret-0123456789"), "Accept", "application/json",
                "X-Forwarded-For", io.latchkey.support.TestAddresses.unique());
        assertError(wrongSecret, 401, "invalid_client");
    }

    /** A user's access token that app got for {@code service} (its aud), through the code flow. */
    private String userTokenFor(ResourceTestClients.Client service) {
        return ResourceTestClients.signIn(browser, app, email, PASSWORD, "openid orders.read orders.write", "resource",
                service.resourceIndicator()).get("access_token").asString();
    }

    private String clientCredentials(ResourceTestClients.Client client) {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", client.id(), client.secret(),
                OAuth.form("grant_type", "client_credentials"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    private Browser.Response exchange(ResourceTestClients.Client client, String... keyValues) {
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("grant_type", GRANT));
        for (int i = 0; i < keyValues.length; i += 2) {
            form.add(Map.entry(keyValues[i], keyValues[i + 1]));
        }
        return browser.postForm("/oauth2/token", form, "Authorization", OAuth.basic(client.id(), client.secret()),
                "Accept", "application/json");
    }

    private JsonNode introspect(ResourceTestClients.Client client, String token) {
        Browser.Response response = OAuth.post(browser, "/oauth2/introspect", client.id(), client.secret(),
                OAuth.form("token", token));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private static List<String> audience(JsonNode claims) {
        List<String> values = new ArrayList<>();
        JsonNode aud = claims.get("aud");
        if (aud.isArray()) {
            aud.forEach(value -> values.add(value.asString()));
        }
        else {
            values.add(aud.asString());
        }
        return values;
    }

    private static void assertError(Browser.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.body()).contains("json");
        JsonNode body = OAuth.json(response);
        assertThat(body.has("error")).as(response.body()).isTrue();
        if (error != null) {
            assertThat(body.get("error").asString()).as(response.body()).isEqualTo(error);
        }
    }
}
