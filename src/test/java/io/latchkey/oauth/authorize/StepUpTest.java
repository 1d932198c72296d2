package io.latchkey.oauth.authorize;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.support.Browser;
import io.latchkey.support.ClaimTypes;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.MFA_CLIENT;
import static io.latchkey.support.TestServerInitializer.MFA_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step-up at the authorization endpoint: {@code acr_values} and a client declared with {@code require-mfa} send a
 * session that lacks a second factor to the code page (or to enrolment), or answer {@code interaction_required} to
 * {@code prompt=none}; a voluntary {@code acr_values} the user cannot meet goes on and the token says the truth.
 */
@IntegrationTest
class StepUpTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "step up passphrase 2026";
    private static final String MFA = "urn:latchkey:acr:mfa";
    private static final String VERIFIER = OAuth.randomVerifier();

    @Autowired
    private TotpSecondFactor secondFactor;

    private final Browser browser = new Browser();
    private String email;
    private UUID userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("stepup");
        userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Barbara Liskov");
    }

    @Test
    void acrValuesSendAnEnrolledUsersPasswordSessionToTheCodePageAndKeepTheRequest() {
        browser.signIn(email, PASSWORD); // the password alone, before a second factor existed
        TestTotp.enrol(secondFactor, userId);

        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "acr_values", MFA));
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).isEqualTo(ISSUER + StepUpRequiredException.SECOND_FACTOR_PAGE);
        assertThat(response.header("Set-Cookie")).as("the request is saved to continue after the code").isNotNull();

        // a weaker level among the values is enough: the session is at the password level
        Browser.Response weaker = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "acr_values", MFA + " urn:latchkey:acr:password"));
        assertThat(weaker.locationParam("code")).isNotBlank();
    }

    @Test
    void aCodeOnTheCodePageContinuesTheRequestAndTheTokensSayMfaAlsoAfterRefresh() {
        browser.signIn(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(secondFactor, userId);
        String request = authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "acr_values", MFA);
        assertThat(browser.get(request).location()).isEqualTo(ISSUER + StepUpRequiredException.SECOND_FACTOR_PAGE);

        Browser.Response codePage = browser.get(StepUpRequiredException.SECOND_FACTOR_PAGE);
        assertThat(codePage.status()).isEqualTo(200);
        Browser.Response steppedUp = browser.postForm(StepUpRequiredException.SECOND_FACTOR_PAGE,
                Map.of("code", TestTotp.current(enrolled.secret()), "_csrf", codePage.csrf()));
        assertThat(steppedUp.location()).as("back to the saved request").startsWith(ISSUER + "/oauth2/authorize?");
        Browser.Response callback = browser.follow(steppedUp);
        assertThat(callback.location()).startsWith(TRUSTED_REDIRECT + "?code=");

        JsonNode tokens = exchange(callback.locationParam("code"));
        for (String token : new String[] { tokens.get("id_token").asString(), tokens.get("access_token").asString() }) {
            JsonNode claims = ClaimTypes.payload(token);
            assertThat(claims.get("acr").asString()).isEqualTo(MFA);
            assertThat(claims.get("amr").valueStream().map(JsonNode::asString).toList())
                    .containsExactly("mfa", "otp", "pwd");
        }
        Browser.Response refresh = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString()));
        assertThat(refresh.status()).as(refresh.body()).isEqualTo(200);
        JsonNode refreshedIdToken = ClaimTypes.payload(OAuth.json(refresh).get("id_token").asString());
        assertThat(refreshedIdToken.get("acr").asString()).isEqualTo(MFA);
        assertThat(refreshedIdToken.get("amr").valueStream().map(JsonNode::asString).toList())
                .containsExactly("mfa", "otp", "pwd");

        // the session now has the factor: the next request asking for it goes straight through, even silently
        Browser.Response silent = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "acr_values", MFA,
                "prompt", "none"));
        assertThat(silent.locationParam("code")).isNotBlank();
    }

    @Test
    void aClientThatRequiresMfaGetsACodeOnceTheSessionHasTheSecondFactor() {
        TestTotp.Enrolled enrolled = TestTotp.enrol(secondFactor, userId);
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + StepUpRequiredException.SECOND_FACTOR_PAGE);
        Browser.Response codePage = browser.get(StepUpRequiredException.SECOND_FACTOR_PAGE);
        browser.postForm(StepUpRequiredException.SECOND_FACTOR_PAGE,
                Map.of("code", TestTotp.current(enrolled.secret()), "_csrf", codePage.csrf()));
        Browser.Response response = browser.get(authorize(MFA_CLIENT, MFA_REDIRECT));
        assertThat(response.location()).startsWith(MFA_REDIRECT + "?code=");
    }

    @Test
    void promptLoginAndMaxAgeMakeAnEnrolledUserSignInAgainWithBothFactors() throws InterruptedException {
        TestTotp.Enrolled enrolled = TestTotp.enrol(secondFactor, userId);
        signInWithCode(TestTotp.current(enrolled.secret()));
        long firstSignIn = java.time.Instant.now().getEpochSecond();
        Thread.sleep(1100);

        for (String[] ask : new String[][] { { "prompt", "login" }, { "max_age", "0" } }) {
            String request = authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, ask[0], ask[1]);
            assertThat(browser.get(request).location()).as(ask[0]).isEqualTo(ISSUER + "/login");
            assertThat(browser.signIn(email, PASSWORD).location()).as("no sign-in on the password alone")
                    .isEqualTo(ISSUER + StepUpRequiredException.SECOND_FACTOR_PAGE);
            // the next step's code once; then a recovery code, also a second factor, rather than waiting for a new step
            String code = ask[0].equals("prompt") ? TestTotp.next(enrolled.secret()) : enrolled.recoveryCodes().get(0);
            Browser.Response codePage = browser.get(StepUpRequiredException.SECOND_FACTOR_PAGE);
            Browser.Response signedIn = browser.postForm(StepUpRequiredException.SECOND_FACTOR_PAGE,
                    Map.of("code", code, "_csrf", codePage.csrf()));
            Browser.Response callback = browser.follow(signedIn);
            assertThat(callback.location()).as(ask[0]).startsWith(TRUSTED_REDIRECT + "?code=");
            JsonNode idToken = ClaimTypes.payload(exchange(callback.locationParam("code")).get("id_token").asString());
            assertThat(idToken.get("acr").asString()).as(ask[0]).isEqualTo(MFA);
            assertThat(idToken.get("auth_time").asLong()).as(ask[0]).isGreaterThan(firstSignIn);
        }
    }

    private void signInWithCode(String code) {
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + StepUpRequiredException.SECOND_FACTOR_PAGE);
        Browser.Response codePage = browser.get(StepUpRequiredException.SECOND_FACTOR_PAGE);
        assertThat(browser.postForm(StepUpRequiredException.SECOND_FACTOR_PAGE,
                Map.of("code", code, "_csrf", codePage.csrf())).location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void promptNoneWithAnAcrTheSessionLacksIsInteractionRequiredAtTheRedirectUri() {
        browser.signIn(email, PASSWORD);
        TestTotp.enrol(secondFactor, userId);

        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "acr_values", MFA,
                "prompt", "none"));
        assertThat(response.location()).startsWith(TRUSTED_REDIRECT + "?");
        assertThat(response.locationParam("error")).isEqualTo("interaction_required");
        assertThat(response.locationParam("state")).isEqualTo("st");
        assertThat(response.locationParam("iss")).isEqualTo(ISSUER);
    }

    @Test
    void aVoluntaryAcrTheUserCannotMeetGoesOnAndTheTokenTellsTheTruth() {
        Browser.Response callback = CodeFlow.run(browser, authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "acr_values", "urn:latchkey:acr:phishing-resistant " + MFA), email, PASSWORD);
        assertThat(callback.location()).startsWith(TRUSTED_REDIRECT + "?code=");
        JsonNode idToken = ClaimTypes.payload(exchange(callback.locationParam("code")).get("id_token").asString());
        assertThat(idToken.get("acr").asString()).isEqualTo("urn:latchkey:acr:password");
        assertThat(idToken.get("amr").get(0).asString()).isEqualTo("pwd");
    }

    @Test
    void unknownOrHostileAcrValuesAreIgnored() {
        browser.signIn(email, PASSWORD);
        TestTotp.enrol(secondFactor, userId);
        for (String value : new String[] { "urn:other:gold", "<script>alert(1)</script>", "' OR 1=1 --",
                "urn:latchkey:acr:mfä", " ", "x".repeat(1000) }) {
            Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "acr_values", value));
            assertThat(response.locationParam("code")).as(value).isNotBlank();
        }
    }

    @Test
    void aClientThatRequiresMfaSendsAUserWithoutASecondFactorToEnrol() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(authorize(MFA_CLIENT, MFA_REDIRECT));
        assertThat(response.location()).isEqualTo(ISSUER + StepUpRequiredException.ENROLMENT_PAGE);

        Browser.Response silent = browser.get(authorize(MFA_CLIENT, MFA_REDIRECT, "prompt", "none"));
        assertThat(silent.location()).startsWith(MFA_REDIRECT + "?");
        assertThat(silent.locationParam("error")).isEqualTo("interaction_required");
    }

    @Test
    void aClientThatRequiresMfaSendsAnEnrolledUsersPasswordSessionToTheCodePage() {
        browser.signIn(email, PASSWORD);
        TestTotp.enrol(secondFactor, userId);
        Browser.Response response = browser.get(authorize(MFA_CLIENT, MFA_REDIRECT));
        assertThat(response.location()).isEqualTo(ISSUER + StepUpRequiredException.SECOND_FACTOR_PAGE);

        // back from the code page without the factor: refused rather than sent round again
        Browser.Response again = browser.get(authorize(MFA_CLIENT, MFA_REDIRECT));
        assertThat(again.location()).startsWith(MFA_REDIRECT + "?");
        assertThat(again.locationParam("error")).isEqualTo("access_denied");
    }

    @Test
    void otherClientsAreNotAffectedByRequireMfa() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT));
        assertThat(response.locationParam("code")).isNotBlank();
    }

    private static String authorize(String clientId, String redirectUri, String... extra) {
        return CodeFlow.authorizeUrl(clientId, redirectUri, "openid", "st", VERIFIER, extra);
    }

    private JsonNode exchange(String code) {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", TRUSTED_REDIRECT,
                        "code_verifier", VERIFIER));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }
}
