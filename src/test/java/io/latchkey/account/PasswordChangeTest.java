package io.latchkey.account;

import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A changed password takes every token issued under the old one away, except the sign-in the change was made
 * in; a forced reset takes the old password itself away until the user sets a new one through the mailed link.
 */
@IntegrationTest
class PasswordChangeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "password change passphrase 1";
    private static final String NEW_PASSWORD = "password change passphrase 2";

    @Autowired
    UserAdministration administration;

    private final Browser browser = new Browser();
    private String email;
    private UUID userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("password-change");
        userId = createUser(email, PASSWORD);
    }

    @Test
    void apiPasswordChangeKeepsThisSignInAndRevokesEveryOtherToken() {
        JsonNode current = apiSignIn(PASSWORD);
        JsonNode otherDevice = apiSignIn(PASSWORD);
        JsonNode app = codeFlowSignIn();

        Browser.Response changed = api("POST", "/api/v1/users/me/password", current.get("access_token").asString(),
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);

        assertThat(api("GET", "/api/v1/users/me", current.get("access_token").asString(), null).status()).isEqualTo(200);
        assertThat(apiRefresh(current).status()).isEqualTo(200);
        assertThat(api("GET", "/api/v1/users/me", otherDevice.get("access_token").asString(), null).status())
                .isEqualTo(401);
        assertThat(apiRefresh(otherDevice).status()).isEqualTo(400);
        assertAppSignInRevoked(app);
        assertThat(events("PASSWORD_CHANGED")).isOne();
    }

    @Test
    void hostedPasswordChangeKeepsTheSessionAndRevokesEveryToken() {
        JsonNode apiTokens = apiSignIn(PASSWORD);
        JsonNode app = codeFlowSignIn();
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/account");

        Browser.Response changed = browser.postForm("/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD, "_csrf", page.csrf()));
        assertThat(changed.location()).isEqualTo(ISSUER + "/account?saved=password");

        assertThat(browser.get("/account").status()).as("the session the change was made in").isEqualTo(200);
        assertThat(api("GET", "/api/v1/users/me", apiTokens.get("access_token").asString(), null).status())
                .isEqualTo(401);
        assertThat(apiRefresh(apiTokens).status()).isEqualTo(400);
        assertAppSignInRevoked(app);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorizations WHERE principal_name = ?", Integer.class,
                userId.toString())).isZero();
    }

    @Test
    void forcedResetDisablesTheOldPasswordUntilTheUserSetsANewOne() {
        JsonNode app = codeFlowSignIn();

        assertThat(administration.forcePasswordReset(userId, Locale.ENGLISH)).isTrue();

        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
        assertThat(apiSignInResponse(PASSWORD).status()).isEqualTo(400);
        Browser.Response passwordGrant = OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", PASSWORD));
        assertThat(passwordGrant.status()).isEqualTo(400);
        assertThat(OAuth.json(passwordGrant).get("error").asString()).isEqualTo("invalid_grant");
        assertAppSignInRevoked(app);

        String link = AccountPages.link(email, 1, "/reset-password");
        Browser.Response form = browser.get(link);
        Browser.Response reset = browser.postForm("/reset-password", Map.of("token",
                link.substring(link.indexOf("token=") + "token=".length()), "password", NEW_PASSWORD,
                "confirmPassword", NEW_PASSWORD, "_csrf", form.csrf()));
        assertThat(reset.body()).contains("id=\"password-reset-done\"");

        assertThat(new Browser().signIn(email, NEW_PASSWORD).location()).isEqualTo(ISSUER + "/");
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
    }

    private void assertAppSignInRevoked(JsonNode app) {
        Browser.Response refresh = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", app.get("refresh_token").asString()));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(OAuth.json(refresh).get("error").asString()).isEqualTo("invalid_grant");
        Browser.Response introspection = OAuth.post(browser, "/oauth2/introspect", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("token", app.get("access_token").asString()));
        assertThat(OAuth.json(introspection).get("active").asBoolean()).isFalse();
        assertThat(browser.get("/userinfo", "Authorization", "Bearer " + app.get("access_token").asString()).status())
                .isEqualTo(401);
    }

    private JsonNode codeFlowSignIn() {
        String verifier = OAuth.randomVerifier();
        Browser session = new Browser();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "s", verifier), email, PASSWORD);
        Browser.Response tokens = OAuth.post(session, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return OAuth.json(tokens);
    }

    private JsonNode apiSignIn(String password) {
        Browser.Response response = apiSignInResponse(password);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private Browser.Response apiSignInResponse(String password) {
        return api("POST", "/api/v1/auth/login", null,
                "{\"username\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    private Browser.Response apiRefresh(JsonNode tokens) {
        return api("POST", "/api/v1/auth/refresh", null,
                "{\"refresh_token\":\"" + tokens.get("refresh_token").asString() + "\"}");
    }

    private Browser.Response api(String method, String path, String accessToken, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return browser.send(request.build());
    }

    private int events(String type) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = ? AND user_id = ?", Integer.class,
                type, userId);
    }
}
