package io.latchkey.oauth.challenge;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;

import io.latchkey.oauth.AuthorizationCodeFlowTest;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.MOBILE_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization challenge endpoint for accounts without a second factor, who it serves, how it refuses bad
 * input, and that discovery advertises it. The second-factor steps are {@link SecondFactorChallengeTest}.
 */
@IntegrationTest
class AuthorizationChallengeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "challenge passphrase 1";

    private String email;
    private UUID userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("challenge");
        userId = createUser(email, PASSWORD);
    }

    @Test
    void aConfidentialFirstPartyClientGetsACodeForThePasswordAndRedeemsItForTokens() {
        ChallengeFlow flow = new ChallengeFlow(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET);
        Instant before = Instant.now().minusSeconds(1);
        String code = ChallengeFlow.code(flow.start(email, PASSWORD, "openid email"));

        Browser.Response tokens = flow.redeem(code);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        JsonNode body = OAuth.json(tokens);
        assertThat(body.get("refresh_token").asString()).isNotBlank();
        Jwt idToken = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(body.get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(userId.toString());
        assertThat(idToken.getAudience()).containsExactly(FIRST_PARTY_CLIENT);
        assertThat(idToken.getClaimAsString("email")).isEqualTo(email);
        assertThat(idToken.getClaimAsInstant("auth_time")).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(idToken.getClaimAsStringList("amr")).containsExactly("pwd");
        Jwt access = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(body.get("access_token").asString());
        assertThat(access.getClaimAsString("client_id")).isEqualTo(FIRST_PARTY_CLIENT);

        // a code is used once
        Browser.Response again = flow.redeem(code);
        assertThat(again.status()).isEqualTo(400);
        assertThat(OAuth.json(again).get("error").asString()).isEqualTo("invalid_grant");

        assertThat(auditTypes(userId)).contains("AUTHORIZATION_CHALLENGE_COMPLETED", "LOGIN_SUCCEEDED");
        assertThat(sessionsOf(userId)).isZero();
    }

    @Test
    void aPublicFirstPartyClientNamesItselfAndTheVerifierBindsTheCode() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        String code = ChallengeFlow.code(flow.start(email, PASSWORD, "openid"));

        // another verifier, or none, does not redeem the code
        ChallengeFlow thief = new ChallengeFlow(MOBILE_CLIENT, null);
        Browser.Response stolen = thief.redeem(code);
        assertThat(stolen.status()).isBetween(400, 401);
        assertThat(stolen.body()).doesNotContain("access_token");

        // the code died with the failed attempt (the framework revokes it); a fresh one works
        String second = ChallengeFlow.code(flow.start(email, PASSWORD, "openid"));
        Browser.Response tokens = flow.redeem(second);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(OAuth.json(tokens).get("id_token").asString()).isNotBlank();

        // another client cannot redeem it either
        String third = ChallengeFlow.code(flow.start(email, PASSWORD, null));
        Browser.Response otherClient = flow.redeemAs(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, third);
        assertThat(otherClient.status()).isEqualTo(400);
        assertThat(otherClient.body()).doesNotContain("access_token");
    }

    @Test
    void aWrongPasswordIsTheSameInvalidGrantAsEverywhere() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        int before = authorizations();
        for (List<String> credentials : List.of(List.of(email, "wrong password"), List.of("nobody-" + email, PASSWORD),
                List.of("' OR '1'='1", "' OR '1'='1"), List.of("<script>alert(1)</script>@x.y", PASSWORD),
                List.of(email + "\u0000", PASSWORD), List.of("\u00fc\u00f1\u00ee@\u2603.example", "p\u00e4ss\u0000"),
                List.of(email, "x'); DROP TABLE users; --"))) {
            JsonNode error = ChallengeFlow.error(flow.start(credentials.get(0), credentials.get(1), "openid"), 400,
                    "invalid_grant");
            assertThat(error.get("error_description").asString()).isEqualTo(ChallengeSteps.INVALID_CREDENTIALS);
        }
        assertThat(authorizations()).isEqualTo(before);
        assertThat(sessionsOf(userId)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE id = ?", Integer.class, userId)).isEqualTo(1);
    }

    @Test
    void anAccountWithoutAPasswordGetsTheOrdinaryWrongPasswordAnswer() {
        // a passkey-only (passwordless) account has no password hash: every password is wrong for it
        jdbc.update("UPDATE users SET password_hash = NULL WHERE id = ?", userId);
        int before = authorizations();
        JsonNode error = ChallengeFlow.error(new ChallengeFlow(MOBILE_CLIENT, null).start(email, PASSWORD, "openid"),
                400, "invalid_grant");
        assertThat(error.get("error_description").asString()).isEqualTo(ChallengeSteps.INVALID_CREDENTIALS);
        Browser.Response grant = OAuth.post(new Browser(), "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", PASSWORD));
        assertThat(grant.status()).isEqualTo(400);
        assertThat(OAuth.json(grant).get("error_description").asString())
                .isEqualTo(ChallengeSteps.INVALID_CREDENTIALS);
        assertThat(authorizations()).isEqualTo(before);
        assertThat(sessionsOf(userId)).isZero();
    }

    @Test
    void tooManyAttemptsFromOneAddressGet429WithRetryAfter() {
        int perIp = io.latchkey.support.TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP;
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null).from("203.0.113.140");
        Browser.Response last = null;
        for (int i = 0; i <= perIp; i++) {
            last = flow.start(TestUsers.uniqueEmail("challenge-spray"), "spray guess", null);
        }
        ChallengeFlow.error(last, 429, "temporarily_unavailable");
        assertThat(last.header("Retry-After")).isNotBlank();
        // the limit is the address's: the right password from there waits too
        ChallengeFlow.error(flow.start(email, PASSWORD, null), 429, "temporarily_unavailable");
    }

    @Test
    void onlyAuthenticatedFirstPartyClientsMayUseIt() {
        int before = authorizations();
        // not first-party: the code flow's clients
        ChallengeFlow.error(new ChallengeFlow(PUBLIC_CLIENT, null).start(email, PASSWORD, null), 400,
                "unauthorized_client");
        ChallengeFlow.error(new ChallengeFlow(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET).start(email, PASSWORD, null),
                400, "unauthorized_client");
        // unknown, unauthenticated, wrongly authenticated
        ChallengeFlow.error(new ChallengeFlow("no-such-client", null).start(email, PASSWORD, null), 401,
                "invalid_client");
        ChallengeFlow.error(new ChallengeFlow(FIRST_PARTY_CLIENT, null).start(email, PASSWORD, null), 401,
                "invalid_client");
        ChallengeFlow.error(new ChallengeFlow(FIRST_PARTY_CLIENT, "wrong-secret-0123456789").start(email, PASSWORD,
                null), 401, "invalid_client");
        Browser.Response noClient = new ChallengeFlow(MOBILE_CLIENT, null).post(OAuth.form("response_type", "code",
                "username", email, "password", PASSWORD));
        ChallengeFlow.error(noClient, 401, "invalid_client");
        // client_id naming another client than the credentials
        Browser.Response mismatch = new ChallengeFlow(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET).post(OAuth.form(
                "client_id", MOBILE_CLIENT, "response_type", "code", "username", email, "password", PASSWORD,
                "code_challenge", OAuth.challenge(OAuth.randomVerifier()), "code_challenge_method", "S256"));
        ChallengeFlow.error(mismatch, 401, "invalid_client");
        assertThat(authorizations()).isEqualTo(before);
    }

    @Test
    void pkceIsRequiredWithS256() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        String challenge = OAuth.challenge(flow.verifier);
        Map<String, Map<String, String>> cases = Map.of(
                "no challenge", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username", email,
                        "password", PASSWORD),
                "no method", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username", email,
                        "password", PASSWORD, "code_challenge", challenge),
                "plain", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username", email,
                        "password", PASSWORD, "code_challenge", challenge, "code_challenge_method", "plain"),
                "not a digest", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username", email,
                        "password", PASSWORD, "code_challenge", "short", "code_challenge_method", "S256"));
        int before = authorizations();
        cases.forEach((name, form) -> ChallengeFlow.error(flow.post(form), 400, "invalid_request"));
        assertThat(authorizations()).isEqualTo(before);
    }

    @Test
    void badInputIsAJsonErrorNeverAServerError() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        String challenge = OAuth.challenge(flow.verifier);
        Map<String, Map<String, String>> invalidRequests = Map.of(
                "missing response_type", OAuth.form("client_id", MOBILE_CLIENT, "username", email, "password",
                        PASSWORD, "code_challenge", challenge, "code_challenge_method", "S256"),
                "missing password", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username",
                        email, "code_challenge", challenge, "code_challenge_method", "S256"),
                "oversized username", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username",
                        "x".repeat(400) + "@example.com", "password", PASSWORD),
                "oversized password", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username",
                        email, "password", "p".repeat(5000)),
                "otp without a session", OAuth.form("client_id", MOBILE_CLIENT, "response_type", "code", "username",
                        email, "password", PASSWORD, "otp", "123456"),
                "session without otp", OAuth.form("client_id", MOBILE_CLIENT, "auth_session", "abc"),
                "oversized session", OAuth.form("client_id", MOBILE_CLIENT, "auth_session", "s".repeat(10_000),
                        "otp", "123456"),
                "password with a session", OAuth.form("client_id", MOBILE_CLIENT, "auth_session", "abc", "otp",
                        "123456", "password", PASSWORD),
                "oversized otp", OAuth.form("client_id", MOBILE_CLIENT, "auth_session", "abc", "otp",
                        "1".repeat(500)));
        int before = authorizations();
        invalidRequests.forEach((name, form) -> ChallengeFlow.error(flow.post(form), 400, "invalid_request"));

        ChallengeFlow.error(flow.post(OAuth.form("client_id", MOBILE_CLIENT, "response_type", "token", "username",
                email, "password", PASSWORD)), 400, "unsupported_response_type");
        ChallengeFlow.error(flow.start(email, PASSWORD, "openid admin"), 400, "invalid_scope");
        ChallengeFlow.error(flow.start(email, PASSWORD, "openid \u00e9t\u00e9"), 400, "invalid_scope");
        for (String session : List.of("not-a-session", "' OR '1'='1", "<script>alert(1)</script>", "\u0000",
                "\u2603\u2603", "%00")) {
            ChallengeFlow.error(flow.proceed(session, "123456"), 400, "invalid_session");
        }

        // the same parameter twice
        Browser.Response repeated = raw(flow.browser, "POST", "application/x-www-form-urlencoded",
                "client_id=" + MOBILE_CLIENT + "&response_type=code&username=a%40b.c&username=d%40e.f&password=x");
        ChallengeFlow.error(repeated, 400, "invalid_request");
        // not a form
        Browser.Response json = raw(flow.browser, "POST", "application/json",
                "{\"client_id\":\"" + MOBILE_CLIENT + "\",\"username\":\"" + email + "\"}");
        ChallengeFlow.error(json, 400, "invalid_request");
        Browser.Response garbage = raw(flow.browser, "POST", "application/x-www-form-urlencoded",
                "client_id=" + MOBILE_CLIENT + "&%zz=%%%&username=%C0%AF&password=\u0000");
        assertThat(garbage.status()).isBetween(400, 401);
        assertThat(OAuth.json(garbage).get("error").asString()).isNotBlank();
        Browser.Response inTheUrl = flow.browser.send(HttpRequest.newBuilder(flow.browser.resolve(ChallengeFlow.PATH
                + "?password=" + PASSWORD.replace(' ', '+'))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + MOBILE_CLIENT + "&response_type=code&username="
                        + email.replace("@", "%40"))).build());
        ChallengeFlow.error(inTheUrl, 400, "invalid_request");
        Browser.Response noContentType = raw(flow.browser, "POST", null, "client_id=" + MOBILE_CLIENT);
        ChallengeFlow.error(noContentType, 400, "invalid_request");
        // GET is not the endpoint's method
        Browser.Response get = flow.browser.get(ChallengeFlow.PATH + "?client_id=" + MOBILE_CLIENT);
        ChallengeFlow.error(get, 405, "invalid_request");
        assertThat(get.header("Allow")).isEqualTo("POST");
        // a malformed Basic header
        Browser.Response badBasic = flow.browser.send(HttpRequest.newBuilder(flow.browser.resolve(ChallengeFlow.PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic %%%not-base64")
                .POST(HttpRequest.BodyPublishers.ofString("response_type=code")).build());
        assertThat(badBasic.status()).isBetween(400, 401);
        assertThat(OAuth.json(badBasic).get("error").asString()).isIn("invalid_request", "invalid_client");

        assertThat(authorizations()).isEqualTo(before);
        assertThat(sessionsOf(userId)).isZero();
    }

    @Test
    void discoveryAndOAuthMetadataAdvertiseTheEndpoint() {
        Browser browser = new Browser();
        for (String document : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            JsonNode metadata = OAuth.json(browser.get(document));
            assertThat(metadata.get("authorization_challenge_endpoint").asString())
                    .isEqualTo(metadata.get("issuer").asString() + "/oauth2/authorize-challenge");
        }
    }

    private static Browser.Response raw(Browser browser, String method, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(ChallengeFlow.PATH))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return browser.send(request.build());
    }

    private List<String> auditTypes(UUID user) {
        return jdbc.queryForList("SELECT type FROM audit_events WHERE user_id = ?", String.class, user);
    }

    private int sessionsOf(UUID user) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorization_challenge_sessions WHERE user_id = ?",
                Integer.class, user);
    }

    private int authorizations() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorizations", Integer.class);
    }
}
