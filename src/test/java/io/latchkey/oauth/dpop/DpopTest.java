package io.latchkey.oauth.dpop;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.RawHttp;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.oauth.dpop.DpopClient.TOKEN_ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP (RFC 9449) against the running server: bound tokens from the grants, the proof checks at the token endpoint,
 * the server nonce (the test server requires one), public clients' refresh tokens bound to the key, and bound
 * tokens at userinfo and the API.
 */
@IntegrationTest
class DpopTest extends UsersInDatabaseTest {

    static final String USERINFO = TestServerInitializer.ISSUER + "/userinfo";
    static final String API_ME = TestServerInitializer.ISSUER + "/api/v1/users/me";
    private static final String PASSWORD = "dpop test passphrase";
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    static final String CONFIDENTIAL = "dpop-conf-" + SUFFIX;
    static final String PUBLIC = "dpop-pub-" + SUFFIX;
    static final String REQUIRED = "dpop-required-" + SUFFIX;
    static String confidentialSecret;
    static String requiredSecret;

    @Autowired
    ClientAdministration clients;

    private final Browser browser = new Browser();
    private DpopClient dpop;
    private String email;

    @BeforeEach
    void setUp() {
        synchronized (DpopTest.class) {
            if (confidentialSecret == null) {
                confidentialSecret = clients.create(CONFIDENTIAL, draft(true, List.of("password", "refresh_token",
                        "client_credentials"), false), ClientAdministration.ADMINISTERED, "test").secret();
                clients.create(PUBLIC, draft(false, List.of("password", "refresh_token"), false),
                        ClientAdministration.ADMINISTERED, "test");
                requiredSecret = clients.create(REQUIRED, draft(true, List.of("client_credentials"), true),
                        ClientAdministration.ADMINISTERED, "test").secret();
            }
        }
        dpop = new DpopClient(browser);
        email = TestUsers.uniqueEmail("dpop");
        createUser(email, PASSWORD);
    }

    static ClientDraft draft(boolean confidential, List<String> grants, boolean dpopRequired) {
        return new ClientDraft("DPoP test", confidential, grants, List.of(), List.of(),
                List.of("openid", "email", "latchkey.account"), null, false, null, null, null, null, null)
                .withExtensions(new ClientExtensions(null, null, null, null, dpopRequired, null, null, null, null));
    }

    private Map<String, String> passwordGrant(String clientId) {
        return OAuth.form("grant_type", "password", "client_id", clientId, "username", email, "password", PASSWORD,
                "scope", "openid email latchkey.account");
    }

    @Test
    void passwordGrantIssuesABoundTokenThatUserinfoAndTheApiHonour() {
        Browser.Response issued = dpop.token(CONFIDENTIAL, confidentialSecret, passwordGrant(CONFIDENTIAL));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(issued);
        assertThat(tokens.get("token_type").asString()).isEqualTo("DPoP");
        String accessToken = tokens.get("access_token").asString();
        assertThat(jkt(accessToken)).isEqualTo(dpop.thumbprint());

        JsonNode introspection = OAuth.introspect(browser, accessToken);
        assertThat(introspection.get("active").asBoolean()).isTrue();
        assertThat(introspection.get("token_type").asString()).isEqualTo("DPoP");
        assertThat(introspection.get("cnf").get("jkt").asString()).isEqualTo(dpop.thumbprint());

        for (String resource : List.of(USERINFO, API_ME)) {
            Browser.Response ok = dpop.get(resource, "DPoP", accessToken, dpop.proof("GET", resource, accessToken));
            assertThat(ok.status()).as(resource + ": " + ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains(email);

            Browser.Response asBearer = dpop.get(resource, "Bearer", accessToken);
            assertThat(asBearer.status()).as(resource).isEqualTo(401);
            assertThat(asBearer.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_token\"");

            DpopClient thief = new DpopClient(browser);
            thief.nonce = dpop.nonce;
            Browser.Response otherKey = thief.get(resource, "DPoP", accessToken, thief.proof("GET", resource, accessToken));
            assertThat(otherKey.status()).as(resource).isEqualTo(401);
            assertThat(otherKey.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"");

            String proof = dpop.proof("GET", resource, accessToken);
            assertThat(dpop.get(resource, "DPoP", accessToken, proof).status()).isEqualTo(200);
            Browser.Response replayed = dpop.get(resource, "DPoP", accessToken, proof);
            assertThat(replayed.status()).as(resource).isEqualTo(401);
            assertThat(replayed.header("WWW-Authenticate")).contains("invalid_dpop_proof");

            Browser.Response wrongAth = dpop.get(resource, "DPoP", accessToken, dpop.proof("GET", resource, "other"));
            assertThat(wrongAth.status()).isEqualTo(401);
            Browser.Response noNonce = dpop.get(resource, "DPoP", accessToken, dpop.proof("GET", resource, accessToken,
                    claims -> claims.claim("nonce", null)));
            assertThat(noNonce.status()).isEqualTo(401);
            assertThat(noNonce.header("WWW-Authenticate")).startsWith("DPoP error=\"use_dpop_nonce\"");
            assertThat(noNonce.header("DPoP-Nonce")).isNotBlank();
        }

        // a confidential client's refresh token is not bound; the new access token is bound to the refresh's key
        DpopClient newKey = new DpopClient(browser);
        newKey.nonce = dpop.nonce;
        Browser.Response refreshed = newKey.token(CONFIDENTIAL, confidentialSecret, OAuth.form("grant_type",
                "refresh_token", "refresh_token", tokens.get("refresh_token").asString()));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(OAuth.json(refreshed).get("token_type").asString()).isEqualTo("DPoP");
        assertThat(jkt(OAuth.json(refreshed).get("access_token").asString())).isEqualTo(newKey.thumbprint());
    }

    @Test
    void discoveryAdvertisesExactlyTheAcceptedAlgorithms() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            JsonNode metadata = OAuth.json(browser.get(path));
            assertThat(metadata.get("dpop_signing_alg_values_supported").toString())
                    .isEqualTo("[\"ES256\",\"PS256\",\"RS256\"]");
        }
    }

    @Test
    void authorizationCodeGrantIssuesABoundToken() {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(TestServerInitializer.CONFIDENTIAL_CLIENT,
                TestServerInitializer.CONFIDENTIAL_REDIRECT, "openid email", "dpop", verifier), email, PASSWORD);
        Browser.Response issued = dpop.token(TestServerInitializer.CONFIDENTIAL_CLIENT,
                TestServerInitializer.CONFIDENTIAL_SECRET, OAuth.form("grant_type", "authorization_code",
                        "code", callback.locationParam("code"), "redirect_uri", TestServerInitializer.CONFIDENTIAL_REDIRECT,
                        "code_verifier", verifier));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(OAuth.json(issued).get("token_type").asString()).isEqualTo("DPoP");
        String accessToken = OAuth.json(issued).get("access_token").asString();
        assertThat(jkt(accessToken)).isEqualTo(dpop.thumbprint());
        Browser.Response userInfo = dpop.get(USERINFO, "DPoP", accessToken, dpop.proof("GET", USERINFO, accessToken));
        assertThat(userInfo.status()).as(userInfo.body()).isEqualTo(200);
    }

    @Test
    void unboundTokensKeepWorkingAsBearerTokens() {
        Browser.Response issued = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL, confidentialSecret,
                passwordGrant(CONFIDENTIAL));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(OAuth.json(issued).get("token_type").asString()).isEqualTo("Bearer");
        String accessToken = OAuth.json(issued).get("access_token").asString();
        assertThat(dpop.get(USERINFO, "Bearer", accessToken).status()).isEqualTo(200);
        assertThat(dpop.get(API_ME, "Bearer", accessToken).status()).isEqualTo(200);
        // an unbound token offered with the DPoP scheme is refused, not quietly taken as a Bearer token
        Browser.Response asDpop = dpop.get(USERINFO, "DPoP", accessToken, dpop.proof("GET", USERINFO, accessToken));
        assertThat(asDpop.status()).isEqualTo(401);
        assertThat(asDpop.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_token\"");
    }

    @Test
    void clientRequiringDpopGetsNoTokenWithoutAProof() {
        Browser.Response without = OAuth.post(browser, "/oauth2/token", REQUIRED, requiredSecret,
                OAuth.form("grant_type", "client_credentials"));
        assertThat(without.status()).isEqualTo(400);
        assertThat(OAuth.json(without).get("error").asString()).isEqualTo("invalid_request");

        Browser.Response with = dpop.token(REQUIRED, requiredSecret, OAuth.form("grant_type", "client_credentials"));
        assertThat(with.status()).as(with.body()).isEqualTo(200);
        assertThat(OAuth.json(with).get("token_type").asString()).isEqualTo("DPoP");
        String accessToken = OAuth.json(with).get("access_token").asString();
        assertThat(jkt(accessToken)).isEqualTo(dpop.thumbprint());
        assertThat(OAuth.introspect(browser, accessToken).get("cnf").get("jkt").asString()).isEqualTo(dpop.thumbprint());
    }

    @Test
    void publicClientsRefreshTokenIsBoundToTheKey() {
        Browser.Response issued = dpop.token(PUBLIC, null, passwordGrant(PUBLIC));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        String refreshToken = OAuth.json(issued).get("refresh_token").asString();
        Map<String, String> refresh = OAuth.form("grant_type", "refresh_token", "client_id", PUBLIC,
                "refresh_token", refreshToken);

        DpopClient otherKey = new DpopClient(browser);
        otherKey.nonce = dpop.nonce;
        Browser.Response withOtherKey = otherKey.token(PUBLIC, null, refresh);
        assertThat(withOtherKey.status()).isEqualTo(400);
        assertThat(OAuth.json(withOtherKey).get("error").asString()).isEqualTo("invalid_grant");

        Browser.Response withoutProof = otherKey.token(PUBLIC, null, null, refresh);
        assertThat(withoutProof.status()).isEqualTo(400);
        assertThat(OAuth.json(withoutProof).get("error").asString()).isEqualTo("invalid_grant");

        Browser.Response sameKey = dpop.token(PUBLIC, null, refresh);
        assertThat(sameKey.status()).as(sameKey.body()).isEqualTo(200);
        assertThat(jkt(OAuth.json(sameKey).get("access_token").asString())).isEqualTo(dpop.thumbprint());
    }

    @Test
    void theServerNonceIsRequiredAndHandedOut() {
        Map<String, String> form = OAuth.form("grant_type", "client_credentials");
        Browser.Response first = dpop.token(CONFIDENTIAL, confidentialSecret, dpop.proof("POST", TOKEN_ENDPOINT, null), form);
        assertThat(first.status()).isEqualTo(400);
        assertThat(OAuth.json(first).get("error").asString()).isEqualTo("use_dpop_nonce");
        String nonce = first.header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();

        dpop.nonce = "not-the-servers-nonce";
        Browser.Response wrong = dpop.token(CONFIDENTIAL, confidentialSecret, dpop.proof("POST", TOKEN_ENDPOINT, null), form);
        assertThat(OAuth.json(wrong).get("error").asString()).isEqualTo("use_dpop_nonce");

        dpop.nonce = nonce;
        Browser.Response ok = dpop.token(CONFIDENTIAL, confidentialSecret, dpop.proof("POST", TOKEN_ENDPOINT, null), form);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.header("DPoP-Nonce")).isNotBlank();
    }

    @Test
    void proofsThatFailACheckAreRefused() throws Exception {
        Map<String, String> form = OAuth.form("grant_type", "client_credentials");
        assertThat(dpop.token(CONFIDENTIAL, confidentialSecret, form).status()).isEqualTo(200); // takes the nonce
        String nonce = dpop.nonce;
        Instant now = Instant.now();
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        JWTClaimsSet good = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                .claim("htu", TOKEN_ENDPOINT).claim("nonce", nonce).issueTime(Date.from(now)).build();
        JWSHeader.Builder ecHeader = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(dpop.key.toPublicJWK());

        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("wrong htm", dpop.proof("GET", TOKEN_ENDPOINT, null));
        refused.put("wrong htu", dpop.proof("POST", TestServerInitializer.ISSUER + "/oauth2/introspect", null));
        refused.put("other host", dpop.proof("POST", "https://elsewhere.example/oauth2/token", null));
        refused.put("old iat", dpop.proof("POST", TOKEN_ENDPOINT, null,
                claims -> claims.issueTime(Date.from(now.minusSeconds(600)))));
        refused.put("future iat", dpop.proof("POST", TOKEN_ENDPOINT, null,
                claims -> claims.issueTime(Date.from(now.plusSeconds(600)))));
        refused.put("no iat", dpop.proof("POST", TOKEN_ENDPOINT, null, claims -> claims.issueTime(null)));
        refused.put("no jti", dpop.proof("POST", TOKEN_ENDPOINT, null, claims -> claims.jwtID(null)));
        refused.put("huge jti", dpop.proof("POST", TOKEN_ENDPOINT, null, claims -> claims.jwtID("j".repeat(300))));
        refused.put("typ JWT", DpopClient.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .jwk(dpop.key.toPublicJWK()).build(), good, new ECDSASigner(dpop.key)));
        refused.put("no jwk", DpopClient.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("dpop+jwt")).build(), good, new ECDSASigner(dpop.key)));
        refused.put("signed by another key", DpopClient.sign(ecHeader.build(), good,
                new ECDSASigner(new DpopClient(browser).key)));
        byte[] secret = new byte[32];
        refused.put("HS256", DpopClient.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(dpop.key.toPublicJWK()).build(), good, new MACSigner(secret)));
        refused.put("RS512", DpopClient.sign(new JWSHeader.Builder(JWSAlgorithm.RS512).type(new JOSEObjectType("dpop+jwt"))
                .jwk(rsa.toPublicJWK()).build(), good, new RSASSASigner(rsa)));
        refused.put("alg none", unsecured("{\"typ\":\"dpop+jwt\",\"alg\":\"none\",\"jwk\":"
                + dpop.key.toPublicJWK().toJSONString() + "}", good));
        refused.put("private key in jwk", signedWithHeader("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":"
                + dpop.key.toJSONString() + "}", good, new ECDSASigner(dpop.key)));
        refused.put("garbage", "garbage");
        refused.put("three parts of garbage", "a.b.c");
        refused.put("script", "<script>alert(1)</script>");
        refused.put("sql", "' OR '1'='1");
        refused.put("percent-encoded bytes", "%00%ff.%e2%98%83.x");
        refused.put("longer than a proof may be", "a".repeat(ProofChecks.MAX_PROOF_LENGTH + 1));
        refused.forEach((what, proof) -> {
            Browser.Response response = dpop.token(CONFIDENTIAL, confidentialSecret, proof, form);
            assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(400);
            assertThat(OAuth.json(response).get("error").asString()).as(what).isEqualTo("invalid_dpop_proof");
        });

        // the accepted algorithms each work: PS256 and RS256 with an RSA key
        for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.PS256, JWSAlgorithm.RS256)) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder(good).jwtID(UUID.randomUUID().toString()).build();
            String proof = DpopClient.sign(new JWSHeader.Builder(algorithm).type(new JOSEObjectType("dpop+jwt"))
                    .jwk(rsa.toPublicJWK()).build(), claims, new RSASSASigner(rsa));
            Browser.Response ok = dpop.token(CONFIDENTIAL, confidentialSecret, proof, form);
            assertThat(ok.status()).as(algorithm + ": " + ok.body()).isEqualTo(200);
            assertThat(jkt(OAuth.json(ok).get("access_token").asString()))
                    .isEqualTo(ProofChecks.thumbprint(rsa.toPublicJWK()));
            Browser.Response replayed = dpop.token(CONFIDENTIAL, confidentialSecret, proof, form);
            assertThat(replayed.status()).isEqualTo(400);
            assertThat(OAuth.json(replayed).get("error").asString()).isEqualTo("invalid_dpop_proof");
        }

        Browser.Response twoProofs = browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve(TOKEN_ENDPOINT))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(CONFIDENTIAL, confidentialSecret))
                .header("DPoP", dpop.proof("POST", TOKEN_ENDPOINT, null))
                .header("DPoP", dpop.proof("POST", TOKEN_ENDPOINT, null))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertThat(twoProofs.status()).isEqualTo(400);
        assertThat(OAuth.json(twoProofs).get("error").asString()).isEqualTo("invalid_dpop_proof");

        // what no HTTP client library sends: raw non-ASCII bytes and a null byte in the header
        byte[] raw = new RawHttp.Request("POST", "/oauth2/token")
                .header("Host", "127.0.0.1:" + TestServerInitializer.PORT)
                .header("Authorization", OAuth.basic(CONFIDENTIAL, confidentialSecret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", "\u00fc\u00f1\u00ee.\u2603\u0000.x".getBytes(StandardCharsets.UTF_8))
                .body("grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Answer answer = RawHttp.exchange(raw);
        assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
        // longer than the server takes a header section at all: refused before any of this runs, never a 500
        Browser.Response oversized = dpop.token(CONFIDENTIAL, confidentialSecret, "a".repeat(20_000), form);
        assertThat(oversized.status()).isBetween(400, 499);
    }

    @Test
    void aProofUsedOnAnotherInstanceIsAReplay() {
        assertThat(dpop.token(CONFIDENTIAL, confidentialSecret, OAuth.form("grant_type", "client_credentials")).status())
                .isEqualTo(200);
        String jti = UUID.randomUUID().toString();
        String proof = dpop.proof("POST", TOKEN_ENDPOINT, null, claims -> claims.jwtID(jti));
        // what another instance that took the proof first leaves behind: its row in the shared table
        jdbc.update("INSERT INTO dpop_used_proofs (proof_hash, expires_at) VALUES (?, now() + interval '1 minute')",
                ProofChecks.replayKey(dpop.thumbprint(), jti));
        Browser.Response replayed = dpop.token(CONFIDENTIAL, confidentialSecret, proof,
                OAuth.form("grant_type", "client_credentials"));
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(OAuth.json(replayed).get("error").asString()).isEqualTo("invalid_dpop_proof");
    }

    @Test
    void malformedDpopRequestsAtResourcesAre401() {
        Browser.Response issued = dpop.token(CONFIDENTIAL, confidentialSecret, passwordGrant(CONFIDENTIAL));
        String accessToken = OAuth.json(issued).get("access_token").asString();
        for (String resource : List.of(USERINFO, API_ME)) {
            for (String[] request : List.of(
                    new String[] { "DPoP", accessToken },
                    new String[] { "DPoP", accessToken, "garbage" },
                    new String[] { "DPoP", accessToken, "a".repeat(ProofChecks.MAX_PROOF_LENGTH / 2) },
                    new String[] { "DPoP", accessToken, "<script>alert(1)</script>", "' OR '1'='1" },
                    new String[] { "DPoP", "not-a-token", dpop.proof("GET", resource, "not-a-token") },
                    new String[] { "DPoP", "x".repeat(4_000), "x" },
                    new String[] { "DPoP", "%00%ff", "%e2%98%83" },
                    new String[] { "DPoP", accessToken + "tampered", dpop.proof("GET", resource, accessToken + "tampered") })) {
                String[] proofs = java.util.Arrays.copyOfRange(request, 2, request.length);
                Browser.Response response = dpop.get(resource, request[0], request[1], proofs);
                assertThat(response.status()).as(resource + " " + request[1].length() + " " + proofs.length)
                        .isEqualTo(401);
            }
        }
    }

    static String jkt(String accessToken) {
        try {
            return BoundAccessTokens.thumbprintClaim(SignedJWT.parse(accessToken).getJWTClaimsSet().getClaims());
        }
        catch (java.text.ParseException ex) {
            throw new AssertionError(ex);
        }
    }

    private static String unsecured(String header, JWTClaimsSet claims) {
        return b64(header) + "." + b64(claims.toString()) + ".";
    }

    /** Signed as written, for a header that Nimbus would not build (a private key in it). */
    private static String signedWithHeader(String header, JWTClaimsSet claims, ECDSASigner signer) throws Exception {
        String input = b64(header) + "." + b64(claims.toString());
        return input + "." + signer.sign(new JWSHeader(JWSAlgorithm.ES256), input.getBytes(StandardCharsets.US_ASCII));
    }

    private static String b64(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
