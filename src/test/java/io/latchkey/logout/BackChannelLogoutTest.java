package io.latchkey.logout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

import io.latchkey.session.SessionEnded;
import io.latchkey.session.UserSessions;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FLAKY_LOGOUT_CLIENT;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.LOGOUT_CLIENT;
import static io.latchkey.support.TestServerInitializer.LOGOUT_CLIENT_SECRET;
import static io.latchkey.support.TestServerInitializer.LOGOUT_REDIRECT;
import static io.latchkey.support.TestServerInitializer.OTHER_LOGOUT_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OpenID Connect Back-Channel Logout 1.0 end to end: real browser sessions get real ID tokens through the code
 * flow; ending a session (the {@link SessionEnded} event, as the session store publishes it) sends each client
 * that got tokens in it, and registered a back-channel logout URI, a logout token, which a real HTTP receiver
 * verifies against Latchkey's JWKS.
 */
@IntegrationTest
class BackChannelLogoutTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static LogoutReceiver receiver;

    @Autowired
    UserSessions userSessions;

    @Autowired
    ApplicationEventPublisher events;

    private String email;
    private UUID userId;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new LogoutReceiver(TestServerInitializer.BACKCHANNEL_PORT);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void createUser() {
        receiver.reset();
        email = TestUsers.uniqueEmail("bcl");
        userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Grace Hopper");
    }

    @Autowired
    io.latchkey.client.ClientAdministration administration;

    /** Issue 16: a pairwise client's logout token names the user as its ID tokens do (OpenID Connect Core 8.1). */
    @Test
    void aPairwiseClientsLogoutTokenCarriesItsPairwiseSubject() throws Exception {
        String clientId = "bcl-pairwise-" + UUID.randomUUID();
        String redirect = "https://pairwise-logout.example.com/cb";
        String secret = administration.create(clientId, new io.latchkey.client.ClientDraft("Pairwise logout app", true,
                List.of("authorization_code"), List.of(redirect), null, List.of("openid", "email"), null, false, null,
                null, null, null, "http://127.0.0.1:" + TestServerInitializer.BACKCHANNEL_PORT + "/" + clientId)
                .withExtensions(new io.latchkey.client.ClientExtensions(null, null, null, null, null,
                        io.latchkey.client.ClientExtensions.PAIRWISE_SUBJECT, null, null, null)),
                io.latchkey.client.ClientAdministration.ADMINISTERED, "test").secret();
        Browser session = new Browser();
        SignedJWT idToken = signInAndGetIdToken(session, clientId, secret, redirect);
        String pairwiseSubject = idToken.getJWTClaimsSet().getSubject();
        assertThat(pairwiseSubject).isNotEqualTo(userId.toString());
        String sid = idToken.getJWTClaimsSet().getStringClaim("sid");

        events.publishEvent(new SessionEnded(sessionId(session, sid), userId.toString()));

        LogoutReceiver.Received request = receiver.awaitRequests("/" + clientId, 1).get(0);
        JWTClaimsSet claims = verifiedWithJwks(request.logoutToken());
        assertThat(claims.getSubject()).isEqualTo(pairwiseSubject);
        assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
    }

    @Test
    void endingASessionSendsEachClientThatGotTokensInItAVerifiableLogoutToken() throws Exception {
        Browser sessionA = new Browser();
        SignedJWT idToken = signInAndGetIdToken(sessionA, LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT);
        // the confidential client registered no back-channel logout URI: it gets tokens, and later nothing
        signInAndGetIdToken(sessionA, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT);
        String sid = idToken.getJWTClaimsSet().getStringClaim("sid");
        String sessionIdA = sessionId(sessionA, sid);
        // the same user's other session: only there did the other client get tokens
        Browser sessionB = new Browser();
        String sidB = signInAndGetIdToken(sessionB, OTHER_LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");
        assertThat(sidB).isNotEqualTo(sid);

        events.publishEvent(new SessionEnded(sessionIdA, userId.toString()));

        // what was queued is decided before the event returns: one delivery, to the one client with a URI
        assertThat(jdbc.queryForList("SELECT client_id FROM backchannel_logout_deliveries WHERE sid = ?", String.class,
                sid)).containsExactly(LOGOUT_CLIENT);
        List<LogoutReceiver.Received> requests = receiver.awaitRequests("/" + LOGOUT_CLIENT, 1);
        LogoutReceiver.Received request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(request.body()).startsWith("logout_token=");

        SignedJWT logoutToken = SignedJWT.parse(request.logoutToken());
        JWTClaimsSet claims = verifiedWithJwks(request.logoutToken());
        assertThat(logoutToken.getHeader().getType()).isEqualTo(new JOSEObjectType("logout+jwt"));
        assertThat(logoutToken.getHeader().getKeyID()).isEqualTo(idToken.getHeader().getKeyID());
        assertThat(logoutToken.getHeader().getAlgorithm()).isEqualTo(idToken.getHeader().getAlgorithm());
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly(LOGOUT_CLIENT);
        assertThat(claims.getSubject()).isEqualTo(userId.toString()).isEqualTo(idToken.getJWTClaimsSet().getSubject());
        assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime().toInstant()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(claims.getJSONObjectClaim("events")).containsOnlyKeys(LogoutTokens.EVENT);
        assertThat((Map<?, ?>) claims.getJSONObjectClaim("events").get(LogoutTokens.EVENT)).isEmpty();
        assertThat(claims.getClaims()).doesNotContainKey("nonce")
                .containsOnlyKeys("iss", "aud", "iat", "exp", "jti", "events", "sub", "sid");

        awaitStatus(sid, LOGOUT_CLIENT, "delivered");
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM backchannel_logout_deliveries WHERE sid = ?", sid);
        assertThat(row).containsEntry("attempts", 1).containsEntry("last_http_status", 200);
        assertThat(row.get("delivered_at")).isNotNull();
        assertThat(auditTypes()).containsExactly("BACKCHANNEL_LOGOUT_DELIVERED");
        // the session is forgotten: ending it again sends nothing more
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM backchannel_logout_sessions WHERE sid = ?", Integer.class,
                sid)).isZero();
        assertThat(receiver.received("/" + OTHER_LOGOUT_CLIENT)).isEmpty();

        // the other session's client is told when that session ends, and only then
        events.publishEvent(new SessionEnded(sessionId(sessionB, sidB), userId.toString()));
        String otherToken = receiver.awaitRequests("/" + OTHER_LOGOUT_CLIENT, 1).get(0).logoutToken();
        assertThat(verifiedWithJwks(otherToken).getStringClaim("sid")).isEqualTo(sidB);
        assertThat(verifiedWithJwks(otherToken).getAudience()).containsExactly(OTHER_LOGOUT_CLIENT);
        assertThat(receiver.received("/" + LOGOUT_CLIENT)).hasSize(1);
    }

    @Test
    void signingOutOnTheAccountPageSendsTheLogoutToken() throws Exception {
        Browser browser = new Browser();
        String sid = signInAndGetIdToken(browser, LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");
        Browser.Response account = browser.get("/account");
        assertThat(account.status()).isEqualTo(200);

        Browser.Response signedOut = browser.postForm("/logout", Map.of("_csrf", account.csrf()));

        assertThat(signedOut.status()).isEqualTo(302);
        String token = receiver.awaitRequests("/" + LOGOUT_CLIENT, 1).get(0).logoutToken();
        JWTClaimsSet claims = verifiedWithJwks(token);
        assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
        assertThat(claims.getSubject()).isEqualTo(userId.toString());
        awaitStatus(sid, LOGOUT_CLIENT, "delivered");
    }

    @Test
    void theEndSessionEndpointSendsTheLogoutToken() throws Exception {
        Browser browser = new Browser();
        SignedJWT idToken = signInAndGetIdToken(browser, LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT);
        String sid = idToken.getJWTClaimsSet().getStringClaim("sid");

        Browser.Response ended = browser.get("/connect/logout?id_token_hint=" + idToken.serialize());
        if (ended.status() == 200 && ended.body().contains("_csrf")) {
            // the end-session endpoint asks the user to confirm when it cannot tell the request is theirs
            ended = browser.postForm("/connect/logout", Map.of("id_token_hint", idToken.serialize(),
                    "_csrf", ended.csrf()));
        }

        assertThat(ended.status()).as(ended.body()).isBetween(200, 399);
        String token = receiver.awaitRequests("/" + LOGOUT_CLIENT, 1).get(0).logoutToken();
        assertThat(verifiedWithJwks(token).getStringClaim("sid")).isEqualTo(sid);
        assertThat(browser.get("/account").status()).as("signed out").isEqualTo(302);
    }

    @Test
    void endingEverySessionOfTheUserTellsTheClientsOfEach() throws Exception {
        Browser first = new Browser();
        String sidA = signInAndGetIdToken(first, LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");
        Browser second = new Browser();
        String sidB = signInAndGetIdToken(second, OTHER_LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");

        // what a password change, reset, disable, delete or "sign out everywhere" does to the user's sessions
        assertThat(userSessions.endAll(userId.toString())).isEqualTo(2);

        assertThat(verifiedWithJwks(receiver.awaitRequests("/" + LOGOUT_CLIENT, 1).get(0).logoutToken())
                .getStringClaim("sid")).isEqualTo(sidA);
        assertThat(verifiedWithJwks(receiver.awaitRequests("/" + OTHER_LOGOUT_CLIENT, 1).get(0).logoutToken())
                .getStringClaim("sid")).isEqualTo(sidB);
        assertThat(first.get("/account").status()).isEqualTo(302);
        assertThat(second.get("/account").status()).isEqualTo(302);
    }

    @Test
    void aFailedDeliveryIsTriedAgainWithANewToken() throws Exception {
        receiver.answer("/" + FLAKY_LOGOUT_CLIENT, new java.util.function.IntSupplier() {
            private int calls;

            @Override
            public synchronized int getAsInt() {
                return ++calls == 1 ? 500 : 200;
            }
        });
        Browser browser = new Browser();
        String sid = signInAndGetIdToken(browser, FLAKY_LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");

        events.publishEvent(new SessionEnded(sessionId(browser, sid), userId.toString()));

        List<LogoutReceiver.Received> requests = receiver.awaitRequests("/" + FLAKY_LOGOUT_CLIENT, 2);
        JWTClaimsSet first = verifiedWithJwks(requests.get(0).logoutToken());
        JWTClaimsSet second = verifiedWithJwks(requests.get(1).logoutToken());
        assertThat(second.getJWTID()).isNotEqualTo(first.getJWTID());
        assertThat(second.getStringClaim("sid")).isEqualTo(first.getStringClaim("sid")).isEqualTo(sid);
        awaitStatus(sid, FLAKY_LOGOUT_CLIENT, "delivered");
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM backchannel_logout_deliveries WHERE sid = ?", sid);
        assertThat(row).containsEntry("attempts", 2).containsEntry("last_http_status", 200)
                .containsEntry("last_error", null);
        assertThat(auditTypes()).containsExactly("BACKCHANNEL_LOGOUT_FAILED", "BACKCHANNEL_LOGOUT_DELIVERED");
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE user_id = ? AND type = ?", String.class,
                userId, "BACKCHANNEL_LOGOUT_FAILED")).contains("500").contains("tried again");
    }

    @Test
    void theEventReturnsWhileTheReceiverIsStillAnswering() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        receiver.answer("/" + LOGOUT_CLIENT, () -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return 200;
        });
        Browser browser = new Browser();
        String sid = signInAndGetIdToken(browser, LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");

        try {
            events.publishEvent(new SessionEnded(sessionId(browser, sid), userId.toString()));
            // back on the publisher's thread, with the receiver not done (it cannot be: it waits for us)
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(jdbc.queryForObject("SELECT status FROM backchannel_logout_deliveries WHERE sid = ?", String.class,
                    sid)).isEqualTo("pending");
        }
        finally {
            release.countDown();
        }
        awaitStatus(sid, LOGOUT_CLIENT, "delivered");
    }

    @Test
    void aSessionWithoutTokensForABackChannelClientQueuesNothing() throws Exception {
        Browser browser = new Browser();
        String sid = signInAndGetIdToken(browser, CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");

        events.publishEvent(new SessionEnded(sessionId(browser, sid), userId.toString()));
        events.publishEvent(new SessionEnded("no-such-session", userId.toString()));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM backchannel_logout_deliveries WHERE subject = ?",
                Integer.class, userId.toString())).isZero();
    }

    @Test
    void aSessionEndedForAnotherUserQueuesNothing() throws Exception {
        Browser browser = new Browser();
        String sid = signInAndGetIdToken(browser, LOGOUT_CLIENT, LOGOUT_CLIENT_SECRET, LOGOUT_REDIRECT)
                .getJWTClaimsSet().getStringClaim("sid");

        events.publishEvent(new SessionEnded(sessionId(browser, sid), UUID.randomUUID().toString()));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM backchannel_logout_deliveries WHERE sid = ?",
                Integer.class, sid)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM backchannel_logout_sessions WHERE sid = ?", Integer.class,
                sid)).isOne();
    }

    @Test
    void discoveryAdvertisesBackChannelLogoutWithSessions() {
        JsonNode metadata = OAuth.json(new Browser().get("/.well-known/openid-configuration", "Accept", "application/json"));
        assertThat(metadata.get("backchannel_logout_supported").asBoolean()).isTrue();
        assertThat(metadata.get("backchannel_logout_session_supported").asBoolean()).isTrue();
    }

    /** The code flow in this browser for the client; returns the ID token it got (its sid names the session). */
    private SignedJWT signInAndGetIdToken(Browser browser, String clientId, String secret, String redirectUri)
            throws Exception {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(clientId, redirectUri, "openid email",
                "state-" + UUID.randomUUID(), verifier, "nonce", "nonce-" + UUID.randomUUID()), email, PASSWORD);
        Browser.Response tokens = OAuth.post(browser, "/oauth2/token", clientId, secret, OAuth.form("grant_type",
                "authorization_code", "code", callback.locationParam("code"), "redirect_uri", redirectUri,
                "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        SignedJWT idToken = SignedJWT.parse(OAuth.json(tokens).get("id_token").asString());
        assertThat(idToken.getJWTClaimsSet().getStringClaim("sid")).isNotBlank();
        return idToken;
    }

    /**
     * The id of the browser's session, as the session store knows it: the session cookie's value (or, where
     * the cookie carries it base64-encoded, its decoding), the one whose hash is the ID token's sid.
     */
    private static String sessionId(Browser browser, String sid) {
        for (String name : List.of("JSESSIONID", "SESSION")) {
            String cookie = browser.cookie(name);
            if (cookie == null) {
                continue;
            }
            if (SessionIds.sid(cookie).equals(sid)) {
                return cookie;
            }
            try {
                String decoded = new String(Base64.getDecoder().decode(cookie), StandardCharsets.US_ASCII);
                if (SessionIds.sid(decoded).equals(sid)) {
                    return decoded;
                }
            }
            catch (IllegalArgumentException notBase64) {
                // not this one
            }
        }
        throw new AssertionError("No session cookie of this browser hashes to the ID token's sid");
    }

    /** Verifies the logout token's signature with the keys Latchkey publishes, its type, and its expiry. */
    private static JWTClaimsSet verifiedWithJwks(String token) throws Exception {
        Browser.Response jwks = new Browser().get("/oauth2/jwks", "Accept", "application/json");
        assertThat(jwks.status()).isEqualTo(200);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(JWKSet.parse(jwks.body()))));
        return processor.process(token, null);
    }

    private void awaitStatus(String sid, String clientId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> status.equals(
                jdbc.queryForObject("SELECT status FROM backchannel_logout_deliveries WHERE sid = ? AND client_id = ?",
                        String.class, sid, clientId)));
    }

    private List<String> auditTypes() {
        return jdbc.queryForList("SELECT type FROM audit_events WHERE user_id = ? AND type LIKE 'BACKCHANNEL%' "
                + "ORDER BY occurred_at", String.class, userId);
    }
}
