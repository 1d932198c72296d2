package io.latchkey.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import io.latchkey.keys.SigningKeys;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.session.SessionTestSupport.apiToken;
import static io.latchkey.session.SessionTestSupport.claims;
import static io.latchkey.session.SessionTestSupport.recordEnded;
import static io.latchkey.session.SessionTestSupport.rows;
import static io.latchkey.session.SessionTestSupport.signIn;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.NATIVE_CLIENT;
import static io.latchkey.support.TestServerInitializer.NATIVE_REDIRECT_PATH;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two whole Latchkey instances on one PostgreSQL database, as behind a load balancer that sends each request
 * wherever it likes. One browser (one cookie jar) talks to both: instance A is the test server, B a second one.
 */
@IntegrationTest
class SessionsAcrossInstancesTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "two instances, one session";
    /** docs/sessions.md: the signing key ring is reloaded at least every 30 s; client changes arrive by NOTIFY. */
    private static final Duration KEY_RING_BOUND = Duration.ofSeconds(40);
    private static final Duration CLIENT_CHANGE_BOUND = Duration.ofSeconds(5);

    private static ConfigurableApplicationContext second;
    private static String b;

    @Autowired
    ConfigurableApplicationContext first;

    @Autowired
    SigningKeys signingKeys;

    @Autowired
    RegisteredClientRepository clients;

    @BeforeAll
    static void startSecondInstance() {
        // the second instance rereads the keys every 2 s rather than 30 s, so the test waits that long, not half a minute
        second = SecondInstance.start(Map.of("latchkey.keys.reload-interval", "2s"));
        b = SecondInstance.baseUrl(second);
    }

    @AfterAll
    static void stopSecondInstance() {
        second.close();
    }

    @Test
    void signInOnOneInstanceAndFinishTheCodeFlowOnTheOther() {
        String email = TestUsers.uniqueEmail("hop");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Hop");
        Browser browser = new Browser();
        String verifier = OAuth.randomVerifier();

        // A sends the browser to sign in; B shows the login page for the same request and signs the user in
        Browser.Response toLogin = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid profile", "hop-state", verifier, "nonce", "hop-nonce"));
        assertThat(toLogin.location()).isEqualTo(ISSUER + "/login");
        assertThat(browser.get(b + "/login").body()).contains("to continue to Confidential Test App");
        Browser.Response signedIn = signIn(browser, b, email, PASSWORD);
        assertThat(signedIn.location()).startsWith(b + "/oauth2/authorize");

        // the saved request resumes on A, whose consent page B shows; the approval goes to A
        String resumed = signedIn.location().substring(b.length());
        Browser.Response toConsent = browser.get(ISSUER + resumed);
        assertThat(toConsent.location()).contains("/oauth2/consent");
        Browser.Response consentPage = browser.get(b + toConsent.location().substring(ISSUER.length()));
        Browser.Response callback = CodeFlow.approveAll(browser, consentPage);
        assertThat(callback.location()).startsWith(CONFIDENTIAL_REDIRECT).contains("state=hop-state");

        // the code from A is redeemed at B, B's refresh token is used at A
        Browser.Response tokens = OAuth.post(browser, b + "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        JsonNode idToken = claims(OAuth.json(tokens).get("id_token").asString());
        assertThat(idToken.get("sid")).as("ID token carries sid").isNotNull();
        assertThat(idToken.get("nonce").asString()).isEqualTo("hop-nonce");
        Browser.Response refreshed = OAuth.post(browser, ISSUER + "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET, OAuth.form("grant_type", "refresh_token",
                        "refresh_token", OAuth.json(tokens).get("refresh_token").asString()));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(claims(OAuth.json(refreshed).get("id_token").asString()).get("sid").asString())
                .isEqualTo(idToken.get("sid").asString());
        Browser.Response refreshedAgain = OAuth.post(browser, b + "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET, OAuth.form("grant_type", "refresh_token",
                        "refresh_token", OAuth.json(refreshed).get("refresh_token").asString()));
        assertThat(refreshedAgain.status()).as(refreshedAgain.body()).isEqualTo(200);

        // the account page works on either instance, with the same session
        for (String base : List.of(ISSUER, b)) {
            Browser.Response account = browser.get(base + "/account");
            assertThat(account.status()).as(base).isEqualTo(200);
            assertThat(account.body()).contains(email).contains("This device").contains("Chrome on Linux");
        }
        // a form of A's page posted to B: the CSRF token lives in the shared session
        Browser.Response accountOnA = browser.get(ISSUER + "/account");
        Browser.Response saved = browser.postForm(b + "/account/profile",
                Map.of("name", "Renamed on B", "_csrf", accountOnA.csrf()));
        assertThat(saved.location()).isEqualTo(b + "/account?saved=profile");
    }

    @Test
    void aSigningKeyRotatedOnOneInstanceIsPublishedByTheOther() throws InterruptedException {
        signingKeys.rotateNow();
        String newKid = signingKeys.active().kid();
        Browser browser = new Browser(b);
        Instant deadline = Instant.now().plus(KEY_RING_BOUND);
        while (!publishedKids(browser).contains(newKid) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertThat(publishedKids(browser)).contains(newKid);
        assertThat(second.getBean(SigningKeys.class).active().kid()).isEqualTo(newKid);
    }

    @Test
    void aClientChangedOnOneInstanceIsUsedByTheOtherWithinTheBound() throws InterruptedException {
        RegisteredClient original = clients.findByClientId(NATIVE_CLIENT);
        String authorize = CodeFlow.authorizeUrl(NATIVE_CLIENT, "http://127.0.0.1" + NATIVE_REDIRECT_PATH, "openid",
                "s", OAuth.randomVerifier()).substring(ISSUER.length());
        Browser browser = new Browser(b);
        assertThat(loginPageFor(browser, authorize)).contains("to continue to " + original.getClientName());
        try {
            clients.save(RegisteredClient.from(original).clientName("Renamed on A").build());
            Instant deadline = Instant.now().plus(CLIENT_CHANGE_BOUND);
            while (!loginPageFor(browser, authorize).contains("Renamed on A") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(loginPageFor(browser, authorize)).contains("to continue to Renamed on A");
        }
        finally {
            clients.save(original);
        }
    }

    @Test
    void aPasswordChangeOnOneInstanceEndsTheSessionOnBoth() {
        String email = TestUsers.uniqueEmail("hop-password");
        UUID userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Hop");
        Browser browser = new Browser();
        signIn(browser, ISSUER, email, PASSWORD);
        assertThat(browser.get(b + "/account").status()).isEqualTo(200);
        assertThat(browser.get(ISSUER + "/account").status()).isEqualTo(200);
        String token = apiToken(email, PASSWORD);
        assertThat(rows(jdbc, userId)).isEqualTo(2); // this browser and the one the token was got with
        List<SessionEnded> endedOnA = recordEnded(first);
        List<SessionEnded> endedOnB = recordEnded(second);

        Browser.Response changed = browser.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(b + "/api/v1/users/me/password"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"a brand new passphrase 2\"}"))
                .build());
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);

        assertThat(rows(jdbc, userId)).isZero();
        assertThat(endedOnB).hasSize(2).allSatisfy(ended -> assertThat(ended.userId()).isEqualTo(userId.toString()));
        assertThat(endedOnB.stream().map(SessionEnded::sessionId).distinct()).hasSize(2);
        assertThat(endedOnA).isEmpty();
        for (String base : List.of(ISSUER, b)) {
            assertThat(browser.get(base + "/account").location()).as(base).isEqualTo(base + "/login");
            Browser.Response authorize = browser.get(base + CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT,
                    CONFIDENTIAL_REDIRECT, "openid", "s", OAuth.randomVerifier()).substring(ISSUER.length()));
            assertThat(authorize.location()).as(base).isEqualTo(base + "/login");
        }
    }

    @Test
    void aPendingReauthenticationSurvivesAHop() {
        String email = TestUsers.uniqueEmail("hop-prompt");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Hop");
        Browser browser = new Browser();
        signIn(browser, ISSUER, email, PASSWORD);
        // signed in, the request asks for a fresh sign-in: A sends the browser to the login page
        String authorize = CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "fresh", OAuth.randomVerifier(),
                "prompt", "login").substring(ISSUER.length());
        assertThat(browser.get(ISSUER + authorize).location()).isEqualTo(ISSUER + "/login");
        // the fresh sign-in happens on B and the request resumes there: it is answered, not asked again
        Browser.Response signedIn = signIn(browser, b, email, PASSWORD);
        Browser.Response answered = browser.get(signedIn.location());
        assertThat(answered.location()).startsWith(TRUSTED_REDIRECT).contains("code=");

        // anonymous, with prompt=login: the pending note goes in a cookie, the sign-in on A, the answer on B
        Browser anonymous = new Browser();
        String again = CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "fresh-2",
                OAuth.randomVerifier(), "prompt", "login").substring(ISSUER.length());
        assertThat(anonymous.get(b + again).location()).isEqualTo(b + "/login");
        Browser.Response signedInOnA = signIn(anonymous, ISSUER, email, PASSWORD);
        String resumed = signedInOnA.location().substring(ISSUER.length());
        assertThat(anonymous.get(b + resumed).location()).startsWith(TRUSTED_REDIRECT).contains("code=");
    }

    private static List<String> publishedKids(Browser browser) {
        Browser.Response jwks = browser.get("/oauth2/jwks", "Accept", "application/json");
        List<String> kids = new java.util.ArrayList<>();
        OAuth.json(jwks).get("keys").forEach(key -> kids.add(key.get("kid").asString()));
        return kids;
    }

    private static String loginPageFor(Browser browser, String authorizePath) {
        Browser.Response toLogin = browser.get(authorizePath);
        assertThat(toLogin.location()).endsWith("/login");
        return browser.get("/login").body();
    }
}
