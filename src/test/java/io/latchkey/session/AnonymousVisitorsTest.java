package io.latchkey.session;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;


import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.session.SessionTestSupport.allSessionIds;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** An anonymous visitor costs no session row until they sign in: pages, redirects, errors and forms included. */
@IntegrationTest
class AnonymousVisitorsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "anonymous until now";

    @Test
    void anonymousVisitsCreateNoSessionRow() {
        Set<String> before = allSessionIds(jdbc);
        Browser browser = new Browser();
        for (String page : new String[] { "/login", "/register", "/forgot-password", "/account", "/",
                "/no-such-page", "/error", "/reset-password?token=nonsense", "/verify-email?token=nonsense",
                "/.well-known/openid-configuration", "/oauth2/jwks" }) {
            assertThat(browser.get(page).status()).as(page).isLessThan(500);
        }
        // the authorization endpoint: sent to sign in (with and without prompt=login), and its error page
        assertThat(browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid", "s",
                OAuth.randomVerifier())).location()).isEqualTo(ISSUER + "/login");
        assertThat(browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid", "s",
                OAuth.randomVerifier(), "prompt", "login")).location()).isEqualTo(ISSUER + "/login");
        assertThat(browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid", "s",
                OAuth.randomVerifier(), "prompt", "none")).location()).contains("error=login_required");
        assertThat(browser.get(CodeFlow.authorizeUrl("no-such-client", CONFIDENTIAL_REDIRECT, "openid", "s",
                OAuth.randomVerifier())).status()).isEqualTo(400);
        Browser.Response login = browser.get("/login");
        assertThat(login.body()).contains("name=\"_csrf\"");
        // forms posted without a session: a wrong password, a registration with errors, a reset request
        assertThat(browser.postForm("/login", Map.of("username", "nobody@latchkey.test", "password", "wrong",
                "_csrf", login.csrf())).location()).endsWith("/login?error");
        Browser.Response register = browser.get("/register");
        assertThat(browser.postForm("/register", Map.of("email", "not an address", "password", "x", "name", "",
                "_csrf", register.csrf())).status()).isLessThan(500);
        Browser.Response forgot = browser.get("/forgot-password");
        assertThat(browser.postForm("/forgot-password", Map.of("email", TestUsers.uniqueEmail("anon"),
                "_csrf", forgot.csrf())).status()).isLessThan(500);
        // a form without any CSRF token is still refused
        assertThat(new Browser().postForm("/login", Map.of("username", "a@b.c", "password", "x")).status())
                .isEqualTo(403);

        Set<String> created = new HashSet<>(allSessionIds(jdbc));
        created.removeAll(before);
        assertThat(created).as("session rows made by anonymous visits").isEmpty();
        assertThat(browser.get("/login").headers().getOrDefault("set-cookie", java.util.List.of()))
                .noneMatch(cookie -> cookie.startsWith("JSESSIONID="));
    }

    @Test
    void signingInCreatesTheFirstRowAndTheVisitorGoesBackToTheSavedRequest() {
        String email = TestUsers.uniqueEmail("anon-then-signed-in");
        java.util.UUID userId = createUser(email, PASSWORD);
        Browser browser = new Browser();
        Browser.Response toLogin = browser.get("/account");
        assertThat(toLogin.location()).isEqualTo(ISSUER + "/login");
        assertThat(SessionTestSupport.rows(jdbc, userId)).isZero();
        Browser.Response signedIn = browser.signIn(email, PASSWORD);
        assertThat(signedIn.location()).isEqualTo(ISSUER + "/account");
        assertThat(SessionTestSupport.rows(jdbc, userId)).isEqualTo(1);
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }
}
