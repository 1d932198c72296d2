package io.latchkey.oauth.challenge;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;

import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.oauth.AuthorizationCodeFlowTest;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.MOBILE_CLIENT;
import static io.latchkey.support.TestServerInitializer.MUST_ENROL_ROLE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No flow skips the second factor: the password grant and the API's login give an account with a TOTP second
 * factor no tokens, and the authorization challenge endpoint takes the password, then the code, then issues a code.
 */
@IntegrationTest
class SecondFactorChallengeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "second factor passphrase 1";

    @Autowired
    private TotpSecondFactor secondFactor;

    private String email;
    private UUID userId;
    private TestTotp.Enrolled enrolled;

    @BeforeEach
    void createEnrolledUser() {
        email = TestUsers.uniqueEmail("challenge-2fa");
        userId = createUser(email, PASSWORD);
        enrolled = TestTotp.enrol(secondFactor, userId);
    }

    @Test
    void thePasswordGrantIssuesNoTokensForTheRightPasswordAndNamesTheChallengeEndpoint() {
        int before = authorizationsOf(userId);
        Browser.Response response = OAuth.post(new Browser(), "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", PASSWORD, "scope", "openid"));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = OAuth.json(response);
        assertThat(error.get("error").asString()).isEqualTo("invalid_grant");
        assertThat(error.get("error_description").asString()).contains("second factor")
                .endsWith("/oauth2/authorize-challenge");
        assertThat(response.body()).doesNotContain("access_token").doesNotContain("refresh_token");
        assertThat(authorizationsOf(userId)).isEqualTo(before);

        // a wrong password is still the ordinary answer: the second step is offered only after the right one
        Browser.Response wrong = OAuth.post(new Browser(), "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", "not the password"));
        assertThat(OAuth.json(wrong).get("error_description").asString())
                .isEqualTo("The username or password is not valid");
    }

    @Test
    void theApiLoginAnswersWithAProblemThatSaysWhereTheSecondStepIs() {
        int before = authorizationsOf(userId);
        Browser.Response response = apiLogin(email, PASSWORD);
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = OAuth.json(response);
        assertThat(problem.get("type").asString()).isEqualTo("urn:latchkey:problem:second-factor-required");
        assertThat(problem.get("secondStep").asString()).isEqualTo("code");
        assertThat(problem.get("authorizationChallengeEndpoint").asString()).endsWith("/oauth2/authorize-challenge");
        assertThat(problem.get("detail").asString()).contains("second factor");
        assertThat(response.body()).doesNotContain("access_token").doesNotContain("refresh_token");
        assertThat(authorizationsOf(userId)).isEqualTo(before);

        // and it keeps no secret: a wrong password is the usual 400
        assertThat(apiLogin(email, "not the password").status()).isEqualTo(400);
    }

    @Test
    void aUserWhoMustEnrolIsSentToTheBrowserEverywhere() {
        String mustEnrol = TestUsers.uniqueEmail("challenge-must-enrol");
        UUID id = createUser(mustEnrol, PASSWORD);
        jdbc.update("INSERT INTO roles (name, description) SELECT ?, 'must enrol (tests)' WHERE NOT EXISTS "
                + "(SELECT 1 FROM roles WHERE name = ?)", MUST_ENROL_ROLE, MUST_ENROL_ROLE);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", id, MUST_ENROL_ROLE);

        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        JsonNode refused = ChallengeFlow.error(flow.start(mustEnrol, PASSWORD, "openid"), 403, "redirect_to_web");
        assertThat(refused.has("auth_session")).isFalse();
        assertThat(sessionsOf(id)).isZero();

        Browser.Response grant = OAuth.post(new Browser(), "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", mustEnrol, "password", PASSWORD));
        assertThat(OAuth.json(grant).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(OAuth.json(grant).get("error_description").asString()).contains("set up");
        Browser.Response api = apiLogin(mustEnrol, PASSWORD);
        assertThat(api.status()).isEqualTo(403);
        assertThat(OAuth.json(api).get("secondStep").asString()).isEqualTo("set-up-in-browser");
        assertThat(authorizationsOf(id)).isZero();
    }

    @Test
    void passwordThenTotpCodeThenTokensWithBothFactors() {
        ChallengeFlow flow = new ChallengeFlow(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET);
        Instant started = Instant.now().minusSeconds(1);
        JsonNode needed = ChallengeFlow.error(flow.start(email, PASSWORD, "openid email"), 403,
                "insufficient_authorization");
        String authSession = needed.get("auth_session").asString();
        assertThat(authSession).hasSizeGreaterThanOrEqualTo(43);
        // stored only as a keyed hash
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorization_challenge_sessions WHERE session_hash = ?",
                Integer.class, authSession)).isZero();
        assertThat(sessionsOf(userId)).isEqualTo(1);
        assertThat(authorizationsOf(userId)).isZero();

        Instant secondStep = Instant.now().minusSeconds(1);
        String code = ChallengeFlow.code(flow.proceed(authSession, TestTotp.current(enrolled.secret())));
        assertThat(sessionsOf(userId)).isZero();
        Browser.Response tokens = flow.redeem(code);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        JsonNode body = OAuth.json(tokens);
        Jwt idToken = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(body.get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(userId.toString());
        // the newest factor is the code, so auth_time is the second step's time, after the password's
        assertThat(idToken.getClaimAsInstant("auth_time")).isAfterOrEqualTo(secondStep.isAfter(started)
                ? secondStep.minusSeconds(1) : started).isBeforeOrEqualTo(Instant.now().plusSeconds(1));
        assertThat(idToken.getClaimAsStringList("amr")).containsExactlyInAnyOrder("pwd", "otp", "mfa");
        assertThat(idToken.getClaimAsString("acr")).isEqualTo("urn:latchkey:acr:mfa");
        assertThat(body.get("refresh_token").asString()).isNotBlank();

        // the session was single-use
        ChallengeFlow.error(flow.proceed(authSession, TestTotp.next(enrolled.secret())), 400, "invalid_session");
        assertThat(auditTypes(userId)).contains("AUTHORIZATION_CHALLENGE_SECOND_FACTOR_NEEDED",
                "AUTHORIZATION_CHALLENGE_COMPLETED");
    }

    @Test
    void aRecoveryCodeIsASecondFactorTooAndIsSpent() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        String recovery = enrolled.recoveryCodes().get(0);
        String first = ChallengeFlow.error(flow.start(email, PASSWORD, "openid"), 403, "insufficient_authorization")
                .get("auth_session").asString();
        String code = ChallengeFlow.code(flow.proceed(first, recovery));
        Browser.Response tokens = flow.redeem(code);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        Jwt idToken = AuthorizationCodeFlowTest.verifierFromJwksEndpoint()
                .decode(OAuth.json(tokens).get("id_token").asString());
        assertThat(idToken.getClaimAsStringList("amr")).containsExactlyInAnyOrder("pwd", "otp", "mfa");
        assertThat(idToken.getClaimAsString("acr")).isEqualTo("urn:latchkey:acr:mfa");

        String second = ChallengeFlow.error(flow.start(email, PASSWORD, "openid"), 403, "insufficient_authorization")
                .get("auth_session").asString();
        JsonNode spent = ChallengeFlow.error(flow.proceed(second, recovery), 400, "invalid_grant");
        assertThat(spent.get("auth_session").asString()).isEqualTo(second);
    }

    @Test
    void aWrongCodeMayBeRetriedButNotTooOften() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        String authSession = ChallengeFlow.error(flow.start(email, PASSWORD, "openid"), 403,
                "insufficient_authorization").get("auth_session").asString();
        JsonNode wrong = ChallengeFlow.error(flow.proceed(authSession, TestTotp.wrong(enrolled.secret())), 400,
                "invalid_grant");
        assertThat(wrong.get("error_description").asString()).isEqualTo(ChallengeSteps.WRONG_CODE);
        assertThat(wrong.get("auth_session").asString()).isEqualTo(authSession);
        // garbage is a wrong code too
        for (String garbage : List.of("' OR '1'='1", "<script>", "\u0000\u0000\u0000")) {
            ChallengeFlow.error(flow.proceed(authSession, garbage), 400, "invalid_grant");
        }
        assertThat(sessionsOf(userId)).isEqualTo(1);
        // the fifth wrong code ends the session, and the right code comes too late
        JsonNode over = ChallengeFlow.error(flow.proceed(authSession, "\u0663\u0663\u0663\u0663\u0663\u0663"), 400,
                "invalid_session");
        assertThat(over.get("error_description").asString()).isEqualTo(ChallengeSteps.TOO_MANY_WRONG_CODES);
        assertThat(over.has("auth_session")).isFalse();
        assertThat(sessionsOf(userId)).isZero();
        ChallengeFlow.error(flow.proceed(authSession, TestTotp.current(enrolled.secret())), 400, "invalid_session");
        assertThat(authorizationsOf(userId)).isZero();
        assertThat(auditTypes(userId)).contains("AUTHORIZATION_CHALLENGE_REFUSED");
        // wrong codes count toward the account's lock, as at every entrance: now even the password is refused
        ChallengeFlow.error(flow.start(email, PASSWORD, null), 400, "invalid_grant");
    }

    @Test
    void aWrongCodeThenTheRightOne() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        String authSession = ChallengeFlow.error(flow.start(email, PASSWORD, null), 403,
                "insufficient_authorization").get("auth_session").asString();
        ChallengeFlow.error(flow.proceed(authSession, TestTotp.wrong(enrolled.secret())), 400, "invalid_grant");
        String code = ChallengeFlow.code(flow.proceed(authSession, TestTotp.current(enrolled.secret())));
        assertThat(flow.redeem(code).status()).isEqualTo(200);
    }

    @Test
    void anExpiredSessionOrAnotherClientsSessionIsInvalid() {
        ChallengeFlow mobile = new ChallengeFlow(MOBILE_CLIENT, null);
        String expiring = ChallengeFlow.error(mobile.start(email, PASSWORD, null), 403, "insufficient_authorization")
                .get("auth_session").asString();
        jdbc.update("UPDATE authorization_challenge_sessions SET expires_at = ? WHERE user_id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), userId);
        ChallengeFlow.error(mobile.proceed(expiring, TestTotp.current(enrolled.secret())), 400, "invalid_session");

        String stolen = ChallengeFlow.error(mobile.start(email, PASSWORD, null), 403, "insufficient_authorization")
                .get("auth_session").asString();
        ChallengeFlow other = new ChallengeFlow(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET);
        ChallengeFlow.error(other.proceed(stolen, TestTotp.next(enrolled.secret())), 400, "invalid_session");
        // and it is of no use to its own client any more
        ChallengeFlow.error(mobile.proceed(stolen, TestTotp.next(enrolled.secret())), 400, "invalid_session");
        assertThat(authorizationsOf(userId)).isZero();
    }

    @Test
    void aDisabledAccountCannotFinish() {
        ChallengeFlow flow = new ChallengeFlow(MOBILE_CLIENT, null);
        String authSession = ChallengeFlow.error(flow.start(email, PASSWORD, null), 403,
                "insufficient_authorization").get("auth_session").asString();
        jdbc.update("UPDATE users SET enabled = FALSE WHERE id = ?", userId);
        ChallengeFlow.error(flow.proceed(authSession, TestTotp.current(enrolled.secret())), 400, "invalid_session");
        assertThat(authorizationsOf(userId)).isZero();
    }

    private static Browser.Response apiLogin(String email, String password) {
        Browser browser = new Browser();
        return browser.send(HttpRequest.newBuilder(browser.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email + "\",\"password\":\"" + password
                        + "\",\"scope\":\"openid\"}"))
                .build());
    }

    private List<String> auditTypes(UUID user) {
        return jdbc.queryForList("SELECT type FROM audit_events WHERE user_id = ?", String.class, user);
    }

    private int sessionsOf(UUID user) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorization_challenge_sessions WHERE user_id = ?",
                Integer.class, user);
    }

    private int authorizationsOf(UUID user) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorizations WHERE principal_name = ?", Integer.class,
                user.toString());
    }
}
