package io.latchkey.oauth.authorize;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import io.latchkey.oauth.AuthorizationCodeFlowTest;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.POST_LOGOUT_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** OpenID Connect Core 3.1.2.1 prompt and max_age, and RP-initiated logout ending the session. */
@IntegrationTest
class PromptAndMaxAgeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "prompt test password 42";

    private final Browser browser = new Browser();
    private final JwtDecoder jwks = AuthorizationCodeFlowTest.verifierFromJwksEndpoint();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("prompt");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Grace Hopper");
    }

    @Test
    void promptNoneWithoutSessionSendsLoginRequiredToTheClientNotALoginPage() {
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "prompt", "none"));
        assertThat(response.location()).startsWith(TRUSTED_REDIRECT + "?");
        assertThat(response.locationParam("error")).isEqualTo("login_required");
        assertThat(response.locationParam("state")).isEqualTo("st");
        assertThat(response.locationParam("iss")).isEqualTo(ISSUER);
    }

    @Test
    void promptNoneWithSessionIssuesACodeSilently() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "prompt", "none"));
        assertThat(response.locationParam("code")).isNotBlank();
        assertThat(response.locationParam("iss")).isEqualTo(ISSUER);
    }

    @Test
    void promptNoneWhenConsentIsMissingSendsConsentRequired() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(authorize(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile",
                "prompt", "none"));
        assertThat(response.location()).startsWith(CONFIDENTIAL_REDIRECT);
        assertThat(response.locationParam("error")).isEqualTo("consent_required");
    }

    @Test
    void promptNoneCombinedWithAnotherValueIsInvalid() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "prompt", "none login"));
        assertThat(response.locationParam("error")).isEqualTo("invalid_request");
    }

    @Test
    void promptLoginAsksASignedInUserToSignInAgainThenContinues() throws InterruptedException {
        browser.signIn(email, PASSWORD);
        Instant firstLogin = Instant.now();
        Thread.sleep(1100);

        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "prompt", "login"));
        assertThat(response.location()).isEqualTo(ISSUER + "/login");

        Browser.Response afterLogin = browser.follow(browser.signIn(email, PASSWORD));
        assertThat(afterLogin.location()).startsWith(TRUSTED_REDIRECT + "?code=");
        Jwt idToken = exchange(afterLogin.locationParam("code"));
        assertThat(idToken.getClaimAsInstant("auth_time")).isAfter(firstLogin);
    }

    @Test
    void promptLoginWithoutSessionNeedsOnlyOneLogin() {
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "prompt", "login"));
        assertThat(response.location()).startsWith(ISSUER + "/login");
        Browser.Response afterLogin = browser.follow(browser.signIn(email, PASSWORD));
        assertThat(afterLogin.location()).startsWith(TRUSTED_REDIRECT + "?code=");
    }

    @Test
    void maxAgeZeroAlwaysAsksForAFreshLogin() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "max_age", "0"));
        assertThat(response.location()).isEqualTo(ISSUER + "/login");
        Browser.Response afterLogin = browser.follow(browser.signIn(email, PASSWORD));
        assertThat(afterLogin.location()).startsWith(TRUSTED_REDIRECT + "?code=");

        // a new request with max_age=0 asks again
        Browser.Response again = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "max_age", "0"));
        assertThat(again.location()).isEqualTo(ISSUER + "/login");
    }

    @Test
    void maxAgeOlderThanTheSignInAsksAgainAndRecentSignInDoesNot() throws InterruptedException {
        browser.signIn(email, PASSWORD);
        Browser.Response recent = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "max_age", "3600"));
        assertThat(recent.location()).startsWith(TRUSTED_REDIRECT + "?code=");

        Thread.sleep(2100);
        Browser.Response stale = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "max_age", "1"));
        assertThat(stale.location()).isEqualTo(ISSUER + "/login");

        Browser.Response staleSilent = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "max_age", "1", "prompt", "none"));
        assertThat(staleSilent.locationParam("error")).isEqualTo("login_required");
    }

    @Test
    void malformedMaxAgeIsInvalidRequest() {
        browser.signIn(email, PASSWORD);
        for (String value : new String[] { "abc", "-5", "1e9", "99999999999999999999999" }) {
            Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "max_age", value));
            assertThat(response.locationParam("error")).as(value).isEqualTo("invalid_request");
        }
    }

    @Test
    void endSessionEndsTheSessionSoPromptNoneThenNeedsLogin() {
        Browser.Response callback = CodeFlow.run(browser, authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid"), email,
                PASSWORD);
        String idToken = exchangeRaw(callback.locationParam("code")).get("id_token").asString();

        Browser.Response logout = browser.get("/connect/logout?id_token_hint=" + idToken + "&post_logout_redirect_uri="
                + POST_LOGOUT_REDIRECT + "&state=bye");
        assertThat(logout.location()).startsWith(POST_LOGOUT_REDIRECT);
        assertThat(logout.locationParam("state")).isEqualTo("bye");

        Browser.Response silent = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "prompt", "none"));
        assertThat(silent.locationParam("error")).isEqualTo("login_required");
    }

    @Test
    void endSessionRefusesAnUnregisteredPostLogoutRedirect() {
        Browser.Response callback = CodeFlow.run(browser, authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid"), email,
                PASSWORD);
        String idToken = exchangeRaw(callback.locationParam("code")).get("id_token").asString();
        Browser.Response logout = browser.get("/connect/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=https://attacker.example/");
        assertThat(logout.status()).isEqualTo(400);
        assertThat(logout.header("Location")).isNull();
    }

    private static String authorize(String clientId, String redirectUri, String scope, String... extra) {
        return CodeFlow.authorizeUrl(clientId, redirectUri, scope, "st", VERIFIER, extra);
    }

    private static final String VERIFIER = OAuth.randomVerifier();

    private Jwt exchange(String code) {
        return jwks.decode(exchangeRaw(code).get("id_token").asString());
    }

    private JsonNode exchangeRaw(String code) {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", TRUSTED_REDIRECT,
                        "code_verifier", VERIFIER));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

}
