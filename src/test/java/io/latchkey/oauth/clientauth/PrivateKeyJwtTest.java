package io.latchkey.oauth.clientauth;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.ratelimit.RateLimitProperties;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestAddresses;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client authentication with {@code private_key_jwt} (RFC 7523 sections 2.2 and 3, OpenID Connect Core 9) against the
 * running server: keys inline and at a {@code jwks_uri}, both grants, introspection and revocation, and every way an
 * assertion can be wrong answered 401 {@code invalid_client} (never 500), and failures limited per client IP.
 */
@IntegrationTest
class PrivateKeyJwtTest extends UsersInDatabaseTest {

    @Autowired
    ClientAdministration administration;

    @Autowired
    RateLimitProperties limits;

    private final Browser browser = new Browser();

    private String machineClient(ClientExtensions keys) {
        String clientId = "pkjwt-" + UUID.randomUUID();
        administration.create(clientId, new ClientDraft("Key client", false, List.of("client_credentials"), null, null,
                List.of("api.read"), null, null, null, null, null, null, null).withExtensions(keys),
                ClientAdministration.ADMINISTERED, "test");
        return clientId;
    }

    private static void assertInvalidClient(Browser.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(OAuth.json(response).get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void discoveryAdvertisesPrivateKeyJwtWithExactlyTheAcceptedAlgorithmsAndNeverClientSecretJwt() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            JsonNode metadata = OAuth.json(browser.get(path, "Accept", "application/json"));
            for (String endpoint : List.of("token", "introspection", "revocation")) {
                assertThat(metadata.get(endpoint + "_endpoint_auth_methods_supported").toString())
                        .contains("\"private_key_jwt\"").doesNotContain("client_secret_jwt");
                assertThat(metadata.get(endpoint + "_endpoint_auth_signing_alg_values_supported").toString())
                        .isEqualTo("[\"RS256\",\"PS256\",\"ES256\"]");
            }
        }
    }

    @Test
    void clientCredentialsWithInlineKeysRsaPssAndEcdsa() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA, Assertions.EC));
        Browser.Response rs256 = Assertions.clientCredentials(browser, clientId, Assertions.assertion(clientId));
        assertThat(rs256.status()).as(rs256.body()).isEqualTo(200);
        JsonNode token = OAuth.json(rs256);
        assertThat(token.get("access_token").asString()).isNotBlank();

        String ps256 = Assertions.sign(Assertions.RSA, JWSAlgorithm.PS256, Assertions.claims(clientId, c -> { }));
        assertThat(Assertions.clientCredentials(browser, clientId, ps256).status()).isEqualTo(200);
        String es256 = Assertions.sign(Assertions.EC, JWSAlgorithm.ES256, Assertions.claims(clientId, c -> { }));
        assertThat(Assertions.clientCredentials(browser, clientId, es256).status()).isEqualTo(200);
        // the issuer alone is an accepted audience too (OpenID Connect Core 9)
        String toIssuer = Assertions.assertion(clientId, c -> c.audience(ISSUER));
        assertThat(Assertions.clientCredentials(browser, clientId, toIssuer).status()).isEqualTo(200);
    }

    @Test
    void keysPublishedAtAJwksUri() {
        HttpServer server = Assertions.jwksServer(Assertions.publicJwks(Assertions.RSA));
        try {
            String clientId = machineClient(Assertions.keysAt(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"));
            Browser.Response ok = Assertions.clientCredentials(browser, clientId, Assertions.assertion(clientId));
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            String wrongKey = Assertions.sign(Assertions.OTHER_RSA, JWSAlgorithm.RS256, Assertions.claims(clientId, c -> { }));
            assertInvalidClient(Assertions.clientCredentials(browser, clientId, wrongKey));
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableJwksUriIsInvalidClientNotAnError() {
        String clientId = machineClient(Assertions.keysAt("http://127.0.0.1:9/jwks"));
        assertInvalidClient(Assertions.clientCredentials(browser, clientId, Assertions.assertion(clientId)));
    }

    @Test
    void codeFlowTokenRequestWithAnAssertion() {
        String email = TestUsers.uniqueEmail("pkjwt");
        String password = "correct horse battery staple";
        TestUsers.create(jdbc, passwordEncoder, email, password, "Key User");
        String clientId = "pkjwt-code-" + UUID.randomUUID();
        String redirect = "https://keys.example.com/callback";
        administration.create(clientId, new ClientDraft("Key app", false, List.of("authorization_code", "refresh_token"),
                List.of(redirect), null, List.of("openid"), null, false, null, null, null, null, null)
                .withExtensions(Assertions.inlineKeys(Assertions.RSA)), ClientAdministration.ADMINISTERED, "test");
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(clientId, redirect, "openid", "s",
                verifier), email, password);
        String code = callback.locationParam("code");
        assertThat(code).isNotBlank();

        Browser.Response tokens = Assertions.post(browser, "/oauth2/token", clientId, Assertions.assertion(clientId),
                null, "grant_type", "authorization_code", "code", code, "redirect_uri", redirect,
                "code_verifier", verifier);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(OAuth.json(tokens).get("id_token").asString()).isNotBlank();

        // refresh_token: the assertion, not a public client's client_id alone
        String refreshToken = OAuth.json(tokens).get("refresh_token").asString();
        assertInvalidClient(Assertions.post(browser, "/oauth2/token", clientId, null, null,
                "grant_type", "refresh_token", "refresh_token", refreshToken));
        Browser.Response refreshed = Assertions.post(browser, "/oauth2/token", clientId,
                Assertions.assertion(clientId), null, "grant_type", "refresh_token", "refresh_token", refreshToken);
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
    }

    @Test
    void aReplayedAssertionIsRefused() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA));
        String assertion = Assertions.assertion(clientId);
        assertThat(Assertions.clientCredentials(browser, clientId, assertion).status()).isEqualTo(200);
        assertInvalidClient(Assertions.clientCredentials(browser, clientId, assertion));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM used_client_assertions WHERE assertion_hash LIKE ?",
                Long.class, "%" + clientId + "%")).as("stored hashed, never the jti or client id").isZero();
    }

    @Test
    void wrongAlgorithmsAreRefused() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA));
        // alg none
        String none = new PlainJWT(new PlainHeader(), Assertions.claims(clientId, c -> { })).serialize();
        assertInvalidClient(Assertions.clientCredentials(browser, clientId, none));
        // client_secret_jwt: an HMAC keyed with something the attacker knows (here the client's id, or its public key)
        assertInvalidClient(Assertions.clientCredentials(browser, clientId,
                Assertions.hmac(clientId + "-".repeat(32), Assertions.claims(clientId, c -> { }))));
        assertInvalidClient(Assertions.clientCredentials(browser, clientId,
                Assertions.hmac(Assertions.publicJwks(Assertions.RSA), Assertions.claims(clientId, c -> { }))));
        // a key the client never registered
        assertInvalidClient(Assertions.clientCredentials(browser, clientId, Assertions.sign(Assertions.OTHER_RSA,
                JWSAlgorithm.RS256, Assertions.claims(clientId, c -> { }))));
    }

    @Test
    void clientSecretJwtIsRefusedForAClientWithASecret() {
        String clientId = "secret-jwt-" + UUID.randomUUID();
        String secret = administration.create(clientId, new ClientDraft("Secret client", true,
                List.of("client_credentials"), null, null, List.of("api.read"), null, null, null, null, null, null,
                null), ClientAdministration.ADMINISTERED, "test").secret();
        assertInvalidClient(Assertions.clientCredentials(browser, clientId,
                Assertions.hmac(secret, Assertions.claims(clientId, c -> { }))));
    }

    @Test
    void wrongClaimsAreRefused() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA));
        Instant now = Instant.now();
        List<String> wrong = List.of(
                Assertions.assertion(clientId, c -> c.expirationTime(Date.from(now.minusSeconds(300)))),
                Assertions.assertion(clientId, c -> c.expirationTime(Date.from(now.plusSeconds(3600)))),
                Assertions.assertion(clientId, c -> c.expirationTime(null)),
                Assertions.assertion(clientId, c -> c.audience("https://somewhere.else.example/token")),
                Assertions.assertion(clientId, c -> c.audience((String) null)),
                Assertions.assertion(clientId, c -> c.issuer("someone-else")),
                Assertions.assertion(clientId, c -> c.subject("someone-else")),
                Assertions.assertion(clientId, c -> c.jwtID(null)),
                Assertions.assertion(clientId, c -> c.issueTime(Date.from(now.plusSeconds(600)))),
                Assertions.assertion(clientId, c -> c.notBeforeTime(Date.from(now.plusSeconds(600)))));
        for (String assertion : wrong) {
            assertInvalidClient(Assertions.clientCredentials(browser, clientId, assertion));
        }
        // another client's valid assertion, sent under this client's id
        String other = machineClient(Assertions.inlineKeys(Assertions.RSA));
        assertInvalidClient(Assertions.clientCredentials(browser, clientId, Assertions.assertion(other)));
        // and the client still gets in with a right one
        assertThat(Assertions.clientCredentials(browser, clientId, Assertions.assertion(clientId)).status())
                .isEqualTo(200);
    }

    @Test
    void aKeyClientCannotUseASecretOrGoWithoutAuthentication() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA));
        assertInvalidClient(OAuth.post(browser, "/oauth2/token", clientId, "any secret at all",
                OAuth.form("grant_type", "client_credentials", "scope", "api.read")));
        assertInvalidClient(Assertions.post(browser, "/oauth2/token", clientId, null, null,
                "grant_type", "client_credentials", "scope", "api.read", "client_secret", "any secret at all"));
        assertInvalidClient(Assertions.clientCredentials(browser, clientId, null));
    }

    @Test
    void introspectionAndRevocationTakeAssertions() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA));
        Browser.Response issued = Assertions.clientCredentials(browser, clientId, Assertions.assertion(clientId));
        String accessToken = OAuth.json(issued).get("access_token").asString();

        Browser.Response introspection = Assertions.post(browser, "/oauth2/introspect", clientId,
                Assertions.assertion(clientId), null, "token", accessToken);
        assertThat(introspection.status()).as(introspection.body()).isEqualTo(200);
        assertThat(OAuth.json(introspection).get("active").asBoolean()).isTrue();
        assertThat(OAuth.json(introspection).get("client_id").asString()).isEqualTo(clientId);

        Browser.Response revocation = Assertions.post(browser, "/oauth2/revoke", clientId,
                Assertions.assertion(clientId), null, "token", accessToken);
        assertThat(revocation.status()).as(revocation.body()).isEqualTo(200);
        assertThat(OAuth.isActive(browser, accessToken)).isFalse();

        assertInvalidClient(Assertions.post(browser, "/oauth2/introspect", clientId,
                Assertions.assertion(clientId, c -> c.audience("https://elsewhere.example")), null, "token",
                accessToken));
        assertInvalidClient(Assertions.post(browser, "/oauth2/revoke", clientId, "garbage", null, "token",
                accessToken));
    }

    @Test
    void failedAssertionsAreLimitedPerClientIp() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA));
        String ip = TestAddresses.unique();
        for (int i = 0; i < limits.clientSecretFailuresPerIp(); i++) {
            String forged = Assertions.sign(Assertions.OTHER_RSA, JWSAlgorithm.RS256, Assertions.claims(clientId, c -> { }));
            assertInvalidClient(Assertions.post(browser, "/oauth2/token", clientId, forged, ip,
                    "grant_type", "client_credentials"));
        }
        Browser.Response limited = Assertions.post(browser, "/oauth2/token", clientId, Assertions.assertion(clientId),
                ip, "grant_type", "client_credentials");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(OAuth.json(limited).get("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        // the forger's address is limited, not the client: from elsewhere it still gets in
        Browser.Response elsewhere = Assertions.post(browser, "/oauth2/token", clientId, Assertions.assertion(clientId),
                TestAddresses.unique(), "grant_type", "client_credentials");
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(200);
    }

    @Test
    void badInputIsAJsonErrorNeverAServerError() {
        String clientId = machineClient(Assertions.inlineKeys(Assertions.RSA));
        List<String> hostile = List.of("garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.", "x".repeat(20_000),
                Assertions.assertion(clientId) + "\u0000", "' OR 1=1 --", "<script>alert(1)</script>",
                "\u00e9\u00e8.\u2603.\ud83d\ude00");
        for (String assertion : hostile) {
            Browser.Response response = Assertions.clientCredentials(browser, clientId, assertion);
            assertThat(response.status()).as(response.body()).isIn(400, 401);
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(OAuth.json(response).get("error").asString()).isIn("invalid_client", "invalid_request");
        }
        // a null byte in the client id, and a wrong assertion type
        Browser.Response nullId = Assertions.clientCredentials(browser, clientId + "\u0000", Assertions.assertion(clientId));
        assertThat(nullId.status()).isIn(400, 401);
        Browser.Response wrongType = Assertions.post(browser, "/oauth2/token", clientId, null, null,
                "grant_type", "client_credentials", "client_assertion_type", "urn:nonsense",
                "client_assertion", Assertions.assertion(clientId));
        assertThat(wrongType.status()).isIn(400, 401);
        assertThat(wrongType.header("Content-Type")).startsWith("application/json");
    }
}
