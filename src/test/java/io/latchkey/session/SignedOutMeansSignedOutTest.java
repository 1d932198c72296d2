package io.latchkey.session;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.account.UserAdministration;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.session.SessionTestSupport.apiToken;
import static io.latchkey.session.SessionTestSupport.recordEnded;
import static io.latchkey.session.SessionTestSupport.rows;
import static io.latchkey.session.SessionTestSupport.signIn;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.POST_LOGOUT_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every account change that must sign the user out ends every session (the rows are gone), each end is announced
 * once, and no filter chain accepts an ended session or a disabled user's token.
 */
@IntegrationTest
class SignedOutMeansSignedOutTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "signed out means signed out";

    @Autowired
    UserAdministration administration;

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void disablingEndsEverySessionAndEveryChainRefusesTheUser() {
        User user = user("disabled");
        Browser browser = new Browser();
        signIn(browser, ISSUER, user.email(), PASSWORD);
        Browser other = new Browser();
        signIn(other, ISSUER, user.email(), PASSWORD);
        String token = apiToken(user.email(), PASSWORD);
        assertThat(userInfo(token)).isEqualTo(200);
        assertThat(rows(jdbc, user.id())).isEqualTo(3);
        List<SessionEnded> ended = recordEnded(context);

        administration.setEnabled(null, user.id(), false);

        assertThat(rows(jdbc, user.id())).isZero();
        assertThat(ended).hasSize(3).allSatisfy(end -> assertThat(end.userId()).isEqualTo(user.id().toString()));
        assertThat(ended.stream().map(SessionEnded::sessionId).distinct()).hasSize(3);
        assertSignedOut(browser);
        assertSignedOut(other);
        assertThat(userInfo(token)).isEqualTo(401);
        assertThat(api(token)).isEqualTo(401);
    }

    @Test
    void deletingAndForcedResetEndEverySession() {
        User deleted = user("deleted");
        Browser deletedBrowser = new Browser();
        signIn(deletedBrowser, ISSUER, deleted.email(), PASSWORD);
        User forced = user("forced");
        Browser forcedBrowser = new Browser();
        signIn(forcedBrowser, ISSUER, forced.email(), PASSWORD);
        List<SessionEnded> ended = recordEnded(context);

        assertThat(administration.delete(null, deleted.id())).isTrue();
        assertThat(administration.forcePasswordReset(forced.id(), Locale.ENGLISH)).isTrue();

        assertThat(rows(jdbc, deleted.id())).isZero();
        assertThat(rows(jdbc, forced.id())).isZero();
        assertThat(ended).extracting(SessionEnded::userId).containsExactlyInAnyOrder(deleted.id().toString(),
                forced.id().toString());
        assertSignedOut(deletedBrowser);
        assertSignedOut(forcedBrowser);
    }

    @Test
    void aPasswordChangeOnTheAccountPageEndsEveryOtherSessionAndKeepsThisOne() {
        User user = user("hosted-change");
        Browser here = new Browser();
        signIn(here, ISSUER, user.email(), PASSWORD);
        Browser elsewhere = new Browser();
        signIn(elsewhere, ISSUER, user.email(), PASSWORD);
        List<SessionEnded> ended = recordEnded(context);

        Browser.Response page = here.get("/account");
        Browser.Response changed = here.postForm("/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", "a completely new passphrase", "confirmPassword", "a completely new passphrase",
                "_csrf", page.csrf()));
        assertThat(changed.location()).isEqualTo(ISSUER + "/account?saved=password");

        assertThat(rows(jdbc, user.id())).isEqualTo(1);
        assertThat(ended).hasSize(1);
        assertThat(here.get("/account").status()).isEqualTo(200);
        assertSignedOut(elsewhere);
    }

    @Test
    void aPasswordResetEndsEverySession() {
        User user = user("reset");
        Browser browser = new Browser();
        signIn(browser, ISSUER, user.email(), PASSWORD);
        List<SessionEnded> ended = recordEnded(context);

        Browser visitor = new Browser();
        Browser.Response forgot = visitor.get("/forgot-password");
        visitor.postForm("/forgot-password", Map.of("email", user.email(), "_csrf", forgot.csrf()));
        String link = TestMailbox.link(TestMailbox.awaitMessage(user.email(), 1), ISSUER + "/reset-password?token=");
        Browser.Response form = visitor.get(link);
        Browser.Response reset = visitor.postForm("/reset-password", Map.of("token",
                link.substring(link.indexOf("token=") + "token=".length()), "password", "reset to something new",
                "confirmPassword", "reset to something new", "_csrf", form.csrf()));
        assertThat(reset.body()).contains("id=\"password-reset-done\"");

        assertThat(rows(jdbc, user.id())).isZero();
        assertThat(ended).hasSize(1);
        assertSignedOut(browser);
    }

    @Test
    void signingOutAndTheEndSessionEndpointEndTheSessionOnceAndItStaysEnded() {
        User user = user("sign-out");
        Browser browser = new Browser();
        signIn(browser, ISSUER, user.email(), PASSWORD);
        List<SessionEnded> ended = recordEnded(context);
        Browser.Response account = browser.get("/account");
        assertThat(browser.postForm("/logout", Map.of("_csrf", account.csrf())).location())
                .isEqualTo(ISSUER + "/login?logout");
        assertThat(ended).hasSize(1);
        assertThat(rows(jdbc, user.id())).isZero();
        assertSignedOut(browser);

        // RP-initiated logout with the ID token of a code flow
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_REDIRECT, "openid", "s", verifier), user.email(), PASSWORD);
        Browser.Response tokens = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier));
        String idToken = OAuth.json(tokens).get("id_token").asString();
        assertThat(rows(jdbc, user.id())).isEqualTo(1);
        Browser.Response loggedOut = browser.get("/connect/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + POST_LOGOUT_REDIRECT);
        assertThat(loggedOut.location()).startsWith(POST_LOGOUT_REDIRECT);
        assertThat(rows(jdbc, user.id())).isZero();
        assertThat(ended).hasSize(2);
        assertSignedOut(browser);
    }

    @Test
    void aSessionWhoseUserWasDisabledBehindItsBackIsRefusedByTheAuthorizationEndpoint() {
        User user = user("disabled-directly");
        Browser browser = new Browser();
        signIn(browser, ISSUER, user.email(), PASSWORD);
        // as if an operator disabled the account in the database, without ending the sessions
        jdbc.update("UPDATE users SET enabled = false WHERE id = ?", user.id());
        Browser.Response authorize = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid", "s", OAuth.randomVerifier()));
        assertThat(authorize.location()).isEqualTo(ISSUER + "/login");
        assertThat(rows(jdbc, user.id())).isZero();
    }

    private void assertSignedOut(Browser browser) {
        assertThat(browser.get("/account").location()).isEqualTo(ISSUER + "/login");
        assertThat(browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid", "s",
                OAuth.randomVerifier())).location()).isEqualTo(ISSUER + "/login");
        assertThat(browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid", "s",
                OAuth.randomVerifier(), "prompt", "none")).location()).contains("error=login_required");
    }

    private int userInfo(String token) {
        return new Browser().get("/userinfo", "Authorization", "Bearer " + token, "Accept", "application/json")
                .status();
    }

    private int api(String token) {
        return new Browser().get("/api/v1/users/me", "Authorization", "Bearer " + token, "Accept",
                "application/json").status();
    }

    private User user(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        return new User(createUser(email, PASSWORD), email);
    }

    private record User(UUID id, String email) {
    }
}

