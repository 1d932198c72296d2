package io.latchkey.oauth.par;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientExtensions;
import io.latchkey.keys.TokenHasher;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.PushedRequests;
import io.latchkey.support.PushedRequests.TestClient;
import io.latchkey.support.TestAddresses;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushed authorization requests (RFC 9126) against the running server: pushed, used once for a code and tokens,
 * refused when used again, after they expire, by another client, or by a client that must push and did not; the
 * PAR endpoint's errors in JSON; the request kept hashed in the authorization store.
 */
@IntegrationTest
class PushedAuthorizationRequestTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "pushed authorization passphrase";

    @Autowired
    private ClientAdministration administration;

    @Autowired
    private TokenHasher hasher;

    private final Browser http = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("par");
        createUser(email, PASSWORD);
    }

    @Test
    void aPushedRequestLeadsToACodeAndTokensOnceOnly() {
        TestClient client = PushedRequests.create(administration, "par-web", true, ClientExtensions.NONE);
        String verifier = OAuth.randomVerifier();
        Browser.Response pushed = PushedRequests.push(http, client,
                PushedRequests.codeRequest(client, "pushed-state", verifier));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        assertThat(pushed.header("Cache-Control")).contains("no-store");
        JsonNode answer = OAuth.json(pushed);
        String requestUri = answer.get("request_uri").asString();
        assertThat(requestUri).startsWith(PushedRequests.URN_PREFIX);
        assertThat(answer.get("expires_in").asLong()).isBetween(50L, 60L);

        Browser browser = new Browser();
        Browser.Response callback = CodeFlow.run(browser, PushedRequests.authorizeUrl(client.clientId(), requestUri),
                email, PASSWORD);
        assertThat(callback.location()).startsWith(client.redirectUri());
        assertThat(callback.locationParam("state")).isEqualTo("pushed-state");
        assertThat(callback.locationParam("iss")).isEqualTo(TestServerInitializer.ISSUER);
        JsonNode tokens = exchange(client, callback.locationParam("code"), verifier);
        assertThat(tokens.get("id_token").asString()).isNotBlank();
        assertThat(tokens.get("scope").asString()).contains("openid").contains("email");

        Browser.Response again = browser.get(PushedRequests.authorizeUrl(client.clientId(), requestUri));
        assertThat(again.status()).as("a request_uri is used once").isEqualTo(400);
        assertThat(again.header("Location")).isNull();
        assertThat(again.body()).contains("invalid_request");
    }

    @Test
    void parametersBesideTheRequestUriAreIgnored() {
        TestClient client = PushedRequests.create(administration, "par-ignore", true, ClientExtensions.NONE);
        String verifier = OAuth.randomVerifier();
        String requestUri = requestUri(PushedRequests.push(http, client,
                PushedRequests.codeRequest(client, "the-pushed-one", verifier)));
        String url = PushedRequests.authorizeUrl(client.clientId(), requestUri)
                + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&scope=openid%20profile&state=outside";
        Browser.Response callback = CodeFlow.run(new Browser(), url, email, PASSWORD);
        assertThat(callback.location()).startsWith(client.redirectUri());
        assertThat(callback.locationParam("state")).isEqualTo("the-pushed-one");
        JsonNode tokens = exchange(client, callback.locationParam("code"), verifier);
        assertThat(tokens.get("scope").asString()).doesNotContain("profile");
    }

    @Test
    void anExpiredRequestUriIsRefused() {
        TestClient client = PushedRequests.create(administration, "par-expired", true, ClientExtensions.NONE);
        String requestUri = requestUri(PushedRequests.push(http, client,
                PushedRequests.codeRequest(client, "s", OAuth.randomVerifier())));
        // the request as it is kept, but with an expiry that has passed (the URN carries it, and the store
        // finds the request by the whole URN, so this is the one way to make it old without waiting)
        String state = requestUri.substring(PushedRequests.URN_PREFIX.length());
        String expiredState = state.substring(0, state.indexOf("___") + 3) + (System.currentTimeMillis() - 1000);
        int moved = jdbc.update("UPDATE authorization_tokens SET token_hash = ? WHERE token_hash = ?",
                hasher.hash(expiredState), hasher.hash(state));
        assertThat(moved).isEqualTo(1);
        Browser signedIn = signedIn();
        Browser.Response expired = signedIn.get(PushedRequests.authorizeUrl(client.clientId(),
                PushedRequests.URN_PREFIX + expiredState));
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.header("Location")).isNull();
        Browser.Response original = signedIn.get(PushedRequests.authorizeUrl(client.clientId(), requestUri));
        assertThat(original.status()).isEqualTo(400);
    }

    @Test
    void theStoreKeepsThePushedRequestHashed() {
        TestClient client = PushedRequests.create(administration, "par-hash", true, ClientExtensions.NONE);
        String requestUri = requestUri(PushedRequests.push(http, client,
                PushedRequests.codeRequest(client, "hash-state", OAuth.randomVerifier())));
        String state = requestUri.substring(PushedRequests.URN_PREFIX.length());
        String random = state.substring(0, state.indexOf("___"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM authorization_tokens WHERE token_type = 'state' "
                + "AND token_hash = ?", Integer.class, hasher.hash(state))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM authorization_tokens WHERE token_hash LIKE ? "
                + "OR metadata LIKE ?", Integer.class, "%" + random + "%", "%" + random + "%")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM authorizations WHERE attributes LIKE ?",
                Integer.class, "%" + random + "%")).as("no copy of the request_uri in clear").isZero();
    }

    @Test
    void anotherClientCannotUseTheRequestUri() {
        TestClient owner = PushedRequests.create(administration, "par-owner", true, ClientExtensions.NONE);
        TestClient other = PushedRequests.create(administration, "par-other", true, ClientExtensions.NONE);
        String requestUri = requestUri(PushedRequests.push(http, owner,
                PushedRequests.codeRequest(owner, "s", OAuth.randomVerifier())));
        // the framework checks a request_uri once the user is signed in: an anonymous visit is sent to sign in
        Browser signedIn = signedIn();
        Browser.Response foreign = signedIn.get(PushedRequests.authorizeUrl(other.clientId(), requestUri));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.header("Location")).isNull();
        Browser.Response unknown = signedIn.get(PushedRequests.authorizeUrl(owner.clientId(),
                PushedRequests.URN_PREFIX + "made-up___" + (System.currentTimeMillis() + 60_000)));
        assertThat(unknown.status()).isEqualTo(400);
        Browser.Response malformed = signedIn.get(PushedRequests.authorizeUrl(owner.clientId(),
                PushedRequests.URN_PREFIX + "no-expiry"));
        assertThat(malformed.status()).isEqualTo(400);
        Browser.Response owners = CodeFlow.run(signedIn, PushedRequests.authorizeUrl(owner.clientId(), requestUri),
                email, PASSWORD);
        assertThat(owners.locationParam("code")).as("another client's attempt does not spend it").isNotBlank();
    }

    private Browser signedIn() {
        Browser browser = new Browser();
        Browser.Response signIn = browser.signIn(email, PASSWORD);
        assertThat(signIn.status()).isEqualTo(302);
        return browser;
    }

    @Test
    void aClientThatMustPushIsRefusedWithoutAndServedWithAPushedRequest() {
        TestClient client = PushedRequests.create(administration, "par-required", true,
                PushedRequests.keys(null, true));
        String verifier = OAuth.randomVerifier();
        Browser.Response plain = new Browser().get(CodeFlow.authorizeUrl(client.clientId(), client.redirectUri(),
                "openid", "plain", verifier));
        assertThat(plain.status()).isEqualTo(302);
        assertThat(plain.location()).startsWith(client.redirectUri());
        assertThat(plain.locationParam("error")).isEqualTo("invalid_request");
        assertThat(plain.locationParam("error_description")).isEqualTo("pushed authorization request required");
        assertThat(plain.locationParam("state")).isEqualTo("plain");

        String requestUri = requestUri(PushedRequests.push(http, client,
                PushedRequests.codeRequest(client, "pushed", verifier)));
        Browser.Response callback = CodeFlow.run(new Browser(), PushedRequests.authorizeUrl(client.clientId(),
                requestUri), email, PASSWORD);
        assertThat(callback.locationParam("code")).isNotBlank();
        assertThat(exchange(client, callback.locationParam("code"), verifier).get("access_token")).isNotNull();
    }

    @Test
    void aPublicClientPushesWithItsClientIdAndPkce() {
        TestClient client = PushedRequests.create(administration, "par-spa", false, ClientExtensions.NONE);
        String verifier = OAuth.randomVerifier();
        Browser.Response pushed = PushedRequests.push(http, client,
                PushedRequests.codeRequest(client, "spa", verifier));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        Browser.Response callback = CodeFlow.run(new Browser(),
                PushedRequests.authorizeUrl(client.clientId(), requestUri(pushed)), email, PASSWORD);
        Browser.Response tokens = OAuth.post(http, "/oauth2/token", client.clientId(), null,
                OAuth.form("grant_type", "authorization_code", "client_id", client.clientId(), "code",
                        callback.locationParam("code"), "redirect_uri", client.redirectUri(), "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);

        Browser.Response withoutPkce = PushedRequests.push(http, client, "response_type", "code", "redirect_uri",
                client.redirectUri(), "scope", "openid");
        assertError(withoutPkce, 400, "invalid_request");
    }

    @Test
    void errorsOfThePushedRequestAreJson() {
        TestClient client = PushedRequests.create(administration, "par-errors", true, ClientExtensions.NONE);
        String challenge = OAuth.challenge(OAuth.randomVerifier());
        assertError(PushedRequests.push(http, client, "response_type", "code", "redirect_uri",
                "https://evil.example/cb", "scope", "openid", "code_challenge", challenge,
                "code_challenge_method", "S256"), 400, "invalid_request");
        assertError(PushedRequests.push(http, client, "response_type", "code", "redirect_uri", client.redirectUri(),
                "scope", "openid admin", "code_challenge", challenge, "code_challenge_method", "S256"), 400,
                "invalid_scope");
        assertError(PushedRequests.push(http, client, "response_type", "code", "redirect_uri", client.redirectUri(),
                "scope", "openid"), 400, "invalid_request");
        assertError(PushedRequests.push(http, client, "response_type", "token", "redirect_uri", client.redirectUri(),
                "scope", "openid", "code_challenge", challenge, "code_challenge_method", "S256"), 400, null);
        assertError(PushedRequests.push(http, client, "request_uri", PushedRequests.URN_PREFIX + "x___1",
                "client_id", client.clientId()), 400, "invalid_request");

        TestClient unauthenticated = new TestClient(client.clientId(), null, client.redirectUri());
        assertError(PushedRequests.push(http, unauthenticated,
                PushedRequests.codeRequest(client, "s", OAuth.randomVerifier())), 401, "invalid_client");
        TestClient wrongSecret = new TestClient(client.clientId(), "not-the-secret-0123456789", client.redirectUri());
        assertError(PushedRequests.push(http, wrongSecret,
                PushedRequests.codeRequest(client, "s", OAuth.randomVerifier())), 401, "invalid_client");
        TestClient unknown = new TestClient("nobody-" + client.clientId(), null, client.redirectUri());
        assertError(PushedRequests.push(http, unknown,
                PushedRequests.codeRequest(client, "s", OAuth.randomVerifier())), 401, "invalid_client");
    }

    @Test
    void hostileInputGetsA4xxInJsonNeverA500() {
        TestClient client = PushedRequests.create(administration, "par-hostile", true, ClientExtensions.NONE);
        String challenge = OAuth.challenge(OAuth.randomVerifier());
        List<String> payloads = List.of("<script>alert(1)</script>", "'; DROP TABLE authorizations;--",
                "null\u0000byte", "\u202e\u0644\u0627\ud83d\ude00", "x".repeat(20_000));
        for (String payload : payloads) {
            for (String parameter : List.of("redirect_uri", "scope", "state", "code_challenge", "response_type",
                    "prompt")) {
                Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("response_type", "code",
                        "redirect_uri", client.redirectUri(), "scope", "openid", "code_challenge", challenge,
                        "code_challenge_method", "S256"));
                form.put(parameter, payload);
                String[] fields = form.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(),
                        e.getValue())).toArray(String[]::new);
                Browser.Response response = PushedRequests.push(http, client, fields);
                assertThat(response.status()).as(parameter + "=" + payload.substring(0, Math.min(20, payload.length()))
                        + ": " + response.body()).isLessThan(500);
                if (response.status() != 201) {
                    assertThat(response.status()).isBetween(400, 499);
                    assertThat(response.header("Content-Type")).contains("json");
                }
            }
        }
        Browser.Response repeated = PushedRequests.push(http, client, "response_type", "code", "redirect_uri",
                client.redirectUri(), "scope", "openid", "scope", "email", "code_challenge", challenge);
        assertError(repeated, 400, "invalid_request");
        for (String parameter : List.of("nonce", "max_age", "prompt", "acr_values", "code_challenge_method")) {
            Browser.Response twice = PushedRequests.push(http, client, "response_type", "code", "redirect_uri",
                    client.redirectUri(), "scope", "openid", "code_challenge", challenge, parameter, "1", parameter,
                    "2");
            assertThat(twice.status()).as(parameter + " twice: " + twice.body()).isEqualTo(400);
            assertThat(twice.header("Content-Type")).contains("json");
        }
        Browser.Response get = http.get(PushedRequests.PAR, "Accept", "application/json");
        assertThat(get.status()).isBetween(400, 499);
    }

    @Test
    void pushedRequestsAreLimitedPerClientIp() {
        String ip = TestAddresses.unique();
        int status = 0;
        for (int i = 0; i < 150 && status != 429; i++) {
            status = http.send(java.net.http.HttpRequest.newBuilder(http.resolve(PushedRequests.PAR))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Forwarded-For", ip)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("client_id=nobody&response_type=code"))
                    .build()).status();
        }
        assertThat(status).isEqualTo(429);
    }

    @Test
    void discoveryAdvertisesTheParEndpoint() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            JsonNode metadata = OAuth.json(http.get(path, "Accept", "application/json"));
            assertThat(metadata.get("pushed_authorization_request_endpoint").asString())
                    .isEqualTo(TestServerInitializer.ISSUER + "/oauth2/par");
            assertThat(metadata.get("require_pushed_authorization_requests").asBoolean()).isFalse();
            assertThat(metadata.get("request_parameter_supported").asBoolean()).isTrue();
            assertThat(metadata.get("request_uri_parameter_supported").asBoolean()).isFalse();
            assertThat(metadata.get("request_object_signing_alg_values_supported").toString())
                    .contains("RS256", "PS256", "ES256").doesNotContain("none").doesNotContain("HS256");
        }
    }

    private static String requestUri(Browser.Response pushed) {
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        return OAuth.json(pushed).get("request_uri").asString();
    }

    private JsonNode exchange(TestClient client, String code, String verifier) {
        Browser.Response response = OAuth.post(http, "/oauth2/token", client.clientId(), client.secret(),
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri(),
                        "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    static void assertError(Browser.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("json");
        if (error != null) {
            assertThat(OAuth.json(response).get("error").asString()).isEqualTo(error);
        }
    }
}
