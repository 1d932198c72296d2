package io.latchkey.oauth.jar;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientExtensions;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.PushedRequests;
import io.latchkey.support.PushedRequests.TestClient;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request objects (RFC 9101) against the running server, at the authorization endpoint (errors on the error page,
 * never at the redirect URI) and at the PAR endpoint (errors in JSON): accepted when signed by the client's
 * registered key, with their parameters taking the place of those outside; refused when signed otherwise, not
 * signed, signed with a MAC, expired, too long-lived, for another audience, from another issuer or client, or
 * malformed; and a request_uri is only ever a pushed request's.
 */
@IntegrationTest
class RequestObjectTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "request object passphrase";
    private static final String AUTHORIZE = TestServerInitializer.ISSUER + "/oauth2/authorize";

    private static RSAKey key;
    private static TestClient client;
    private static TestClient other;

    @Autowired
    private ClientAdministration administration;

    private final Browser http = new Browser();
    private String email;

    @BeforeEach
    void createUserAndClients() {
        email = TestUsers.uniqueEmail("jar");
        createUser(email, PASSWORD);
        if (client == null) {
            key = PushedRequests.newKey();
            client = PushedRequests.create(administration, "jar-web", true, PushedRequests.keys(key, false));
            other = PushedRequests.create(administration, "jar-other", true,
                    PushedRequests.keys(PushedRequests.newKey(), false));
        }
    }

    @Test
    void aSignedRequestObjectAtTheAuthorizationEndpointIsTheRequest() {
        String verifier = OAuth.randomVerifier();
        String jwt = PushedRequests.sign(key, PushedRequests.requestObject(client,
                PushedRequests.codeRequest(client, "signed-state", verifier)).build());
        Browser.Response callback = CodeFlow.run(new Browser(), authorize(client.clientId(), jwt,
                "state", "outside-state", "redirect_uri", "https://evil.example/cb"), email, PASSWORD);
        assertThat(callback.location()).startsWith(client.redirectUri());
        assertThat(callback.locationParam("state")).isEqualTo("signed-state");
        assertThat(exchange(callback.locationParam("code"), verifier).get("id_token")).isNotNull();
    }

    @Test
    void aSignedRequestObjectCanBePushed() {
        String verifier = OAuth.randomVerifier();
        String jwt = PushedRequests.sign(key, PushedRequests.requestObject(client,
                PushedRequests.codeRequest(client, "pushed-signed", verifier)).build());
        Browser.Response pushed = PushedRequests.push(http, client, "request", jwt);
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        Browser.Response callback = CodeFlow.run(new Browser(), PushedRequests.authorizeUrl(client.clientId(),
                OAuth.json(pushed).get("request_uri").asString()), email, PASSWORD);
        assertThat(callback.locationParam("state")).isEqualTo("pushed-signed");
        assertThat(exchange(callback.locationParam("code"), verifier).get("access_token")).isNotNull();
    }

    @Test
    void aClientThatMustPushCannotSendItsRequestObjectToTheAuthorizationEndpoint() {
        RSAKey ownKey = PushedRequests.newKey();
        TestClient mustPush = PushedRequests.create(administration, "jar-par-only", true,
                PushedRequests.keys(ownKey, true));
        String verifier = OAuth.randomVerifier();
        String jwt = PushedRequests.sign(ownKey, PushedRequests.requestObject(mustPush,
                PushedRequests.codeRequest(mustPush, "direct", verifier)).build());
        Browser.Response direct = new Browser().get(authorize(mustPush.clientId(), jwt));
        assertThat(direct.status()).isEqualTo(302);
        assertThat(direct.location()).startsWith(mustPush.redirectUri());
        assertThat(direct.locationParam("error")).isEqualTo("invalid_request");
        assertThat(direct.locationParam("state")).isEqualTo("direct");
        Browser.Response pushed = PushedRequests.push(http, mustPush, "request", jwt);
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
    }

    @Test
    void requestObjectsNotSignedByTheClientsKeyAreRefused() throws Exception {
        String[] request = PushedRequests.codeRequest(client, "s", OAuth.randomVerifier());
        JWTClaimsSet valid = PushedRequests.requestObject(client, request).build();
        Instant now = Instant.now();
        refusedEverywhere(PushedRequests.sign(PushedRequests.newKey(), valid), "invalid_request_object");
        refusedEverywhere(new PlainJWT(valid).serialize(), "invalid_request_object");
        SignedJWT mac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), valid);
        mac.sign(new MACSigner(client.secret().repeat(2).getBytes()));
        refusedEverywhere(mac.serialize(), "invalid_request_object");
        refusedEverywhere(PushedRequests.sign(key, PushedRequests.requestObject(client, request)
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(60))).build()),
                "invalid_request_object");
        refusedEverywhere(PushedRequests.sign(key, PushedRequests.requestObject(client, request)
                .expirationTime(Date.from(now.plusSeconds(2 * 3600))).build()), "invalid_request_object");
        refusedEverywhere(PushedRequests.sign(key, PushedRequests.requestObject(client, request)
                .expirationTime(null).build()), "invalid_request_object");
        refusedEverywhere(PushedRequests.sign(key, PushedRequests.requestObject(client, request)
                .audience("https://another.example").build()), "invalid_request_object");
        refusedEverywhere(PushedRequests.sign(key, PushedRequests.requestObject(client, request)
                .issuer(other.clientId()).build()), "invalid_request_object");
        refusedEverywhere(PushedRequests.sign(key, PushedRequests.requestObject(client, request)
                .claim("client_id", other.clientId()).build()), "invalid_request_object");
        refusedEverywhere(PushedRequests.sign(key, PushedRequests.requestObject(client, request)
                .claim("request_uri", "https://evil.example/ro").build()), "invalid_request_object");
        SignedJWT wrongType = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), valid);
        wrongType.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
        refusedEverywhere(wrongType.serialize(), "invalid_request_object");
    }

    @Test
    void theOuterClientIdMustBeTheSigners() {
        String jwt = PushedRequests.sign(key, PushedRequests.requestObject(client,
                PushedRequests.codeRequest(client, "s", OAuth.randomVerifier())).build());
        assertPage(new Browser().get(authorize(other.clientId(), jwt)), "invalid_request_object");
        TestClient noKeys = PushedRequests.create(administration, "jar-nokeys", true, ClientExtensions.NONE);
        String fromNoKeys = PushedRequests.sign(key, PushedRequests.requestObject(noKeys,
                PushedRequests.codeRequest(noKeys, "s", OAuth.randomVerifier())).build());
        assertPage(new Browser().get(authorize(noKeys.clientId(), fromNoKeys)), "invalid_request_object");
        assertJson(PushedRequests.push(http, noKeys, "request", fromNoKeys), "invalid_request_object");
        assertPage(new Browser().get(AUTHORIZE + "?request=" + jwt), "invalid_request");
    }

    @Test
    void responseTypeAndScopeOutsideMustMatchInside() {
        String jwt = PushedRequests.sign(key, PushedRequests.requestObject(client,
                PushedRequests.codeRequest(client, "s", OAuth.randomVerifier())).build());
        assertPage(new Browser().get(authorize(client.clientId(), jwt, "response_type", "token")), "invalid_request");
        assertPage(new Browser().get(authorize(client.clientId(), jwt, "scope", "openid profile")), "invalid_request");
        Browser.Response sameScope = new Browser().get(authorize(client.clientId(), jwt, "scope", "email openid",
                "response_type", "code"));
        assertThat(sameScope.status()).as("the same scope in another order is no conflict").isEqualTo(302);
        assertThat(sameScope.location()).contains("/login");
    }

    @Test
    void aRequestUriIsOnlyEverAPushedOne() {
        for (String uri : List.of("https://client.example/request.jwt", "http://127.0.0.1:5432/", "file:///etc/passwd",
                "urn:other:thing", "javascript:alert(1)")) {
            Browser.Response response = new Browser().get(UriComponentsBuilder.fromUriString(AUTHORIZE)
                    .queryParam("client_id", client.clientId()).queryParam("request_uri", uri)
                    .encode().build().toUriString());
            assertPage(response, "invalid_request_uri");
        }
    }

    @Test
    void badInputIsA4xxInTheEndpointsFormatNeverA500() {
        String huge = PushedRequests.sign(key, PushedRequests.requestObject(client,
                PushedRequests.codeRequest(client, "x".repeat(20_000), OAuth.randomVerifier())).build());
        String scripted = PushedRequests.sign(key, PushedRequests.requestObject(client,
                "response_type", "code", "redirect_uri", "javascript:alert(1)", "scope", "openid",
                "state", "<script>alert(1)</script>", "code_challenge", "abc").build());
        for (String garbage : List.of("not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "\u0000\u0000.\u0000.x",
                "<script>alert(1)</script>", "'; DROP TABLE authorizations;--", huge, "\u202e\ud83d\ude00.x.y",
                "eyJhbGciOiJSUzI1NiJ9." + "A".repeat(3000) + ".sig")) {
            Browser.Response page = new Browser().get(authorize(client.clientId(), garbage));
            assertThat(page.status()).as(garbage.substring(0, Math.min(20, garbage.length()))).isEqualTo(400);
            assertThat(page.header("Location")).isNull();
            Browser.Response json = PushedRequests.push(http, client, "request", garbage);
            assertThat(json.status()).as(json.body()).isEqualTo(400);
            assertThat(json.header("Content-Type")).contains("json");
        }
        Browser.Response pushedScript = PushedRequests.push(http, client, "request", scripted);
        assertThat(pushedScript.status()).as(pushedScript.body()).isEqualTo(400);
        assertThat(pushedScript.header("Content-Type")).contains("json");
        Browser.Response twice = new Browser().get(authorize(client.clientId(), "a.b.c") + "&request=d.e.f");
        assertThat(twice.status()).isEqualTo(400);
    }

    @Test
    void noSpellingOfThePathGetsPastTheRequestObjectCheck() {
        String wrongKey = PushedRequests.sign(PushedRequests.newKey(), PushedRequests.requestObject(client,
                PushedRequests.codeRequest(client, "s", OAuth.randomVerifier())).build());
        Browser signedIn = new Browser();
        assertThat(signedIn.signIn(email, PASSWORD).status()).isEqualTo(302);
        String query = "?response_type=code&client_id=" + client.clientId() + "&redirect_uri="
                + client.redirectUri() + "&scope=openid&code_challenge=" + OAuth.challenge(OAuth.randomVerifier())
                + "&code_challenge_method=S256&request=" + wrongKey;
        for (String path : List.of("/oauth2/authorize", "/oauth2/authorize/", "/oauth2//authorize",
                "/oauth2/%61uthorize", "/oauth2/authorize;x=y", "/oauth2/./authorize", "/OAUTH2/authorize",
                "/oauth2/authorize%2F")) {
            Browser.Response response = signedIn.get(TestServerInitializer.ISSUER + path + query);
            assertThat(response.status()).as(path).isBetween(300, 499);
            if (response.isRedirect()) {
                assertThat(response.location()).as(path).doesNotContain("code=");
            }
        }
    }

    private void refusedEverywhere(String requestObject, String error) {
        assertPage(new Browser().get(authorize(client.clientId(), requestObject)), error);
        assertJson(PushedRequests.push(http, client, "request", requestObject), error);
    }

    private static void assertPage(Browser.Response response, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.body()).contains(error);
    }

    private static void assertJson(Browser.Response response, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("json");
        assertThat(OAuth.json(response).get("error").asString()).isEqualTo(error);
    }

    private static String authorize(String clientId, String requestObject, String... outside) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(AUTHORIZE)
                .queryParam("client_id", clientId).queryParam("request", requestObject);
        for (int i = 0; i < outside.length; i += 2) {
            uri.queryParam(outside[i], outside[i + 1]);
        }
        return uri.encode().build().toUriString();
    }

    private JsonNode exchange(String code, String verifier) {
        Browser.Response response = OAuth.post(http, "/oauth2/token", client.clientId(), client.secret(),
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri(),
                        "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }
}
