package io.latchkey.web;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** The hosted login and error pages: headers, accessibility basics, CSRF, and hostile input. */
@IntegrationTest
class HostedPagesTest {

    private static final String PASSWORD = "hosted pages password 7";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("hosted");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, null);
    }

    @Test
    void loginPageHasStrictSecurityHeaders() {
        Browser.Response page = browser.get("/login");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'")
                .contains("script-src 'self'").contains("default-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("Cache-Control")).contains("no-store");
    }

    @Test
    void loginPageIsAccessibleAndHasNoInlineScriptOrStyle() {
        String body = browser.get("/login").body();
        assertThat(body).contains("<label for=\"username\"").contains("<label for=\"password\"")
                .contains("name=\"username\"").contains("name=\"password\"").contains("name=\"_csrf\"")
                .contains("autocomplete=\"current-password\"").contains("lang=\"");
        assertThat(body).doesNotContain("<script").doesNotContain("style=\"").doesNotContain("onclick");
    }

    @Test
    void correctCredentialsSignInAndWrongOnesShowAGenericError() {
        Browser.Response wrong = browser.signIn(email, "not the password");
        assertThat(wrong.location()).isEqualTo(ISSUER + "/login?error");
        assertThat(browser.get(wrong.location()).body()).contains("Wrong email or password.");

        Browser.Response unknown = browser.signIn("nobody-" + email, PASSWORD);
        assertThat(unknown.location()).isEqualTo(ISSUER + "/login?error");

        Browser.Response right = browser.signIn(email.toUpperCase(java.util.Locale.ROOT), PASSWORD);
        assertThat(right.location()).isEqualTo(ISSUER + "/");
        assertThat(browser.follow(browser.get("/")).body()).contains("id=\"sign-out\"").contains(email);
    }

    @Test
    void loginWithoutOrWithWrongCsrfTokenIsRefusedWithAFriendlyPage() {
        browser.get("/login");
        Browser.Response missing = browser.postForm("/login", Map.of("username", email, "password", PASSWORD));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("Something went wrong").doesNotContain("Exception");

        Browser.Response wrong = browser.postForm("/login", Map.of("username", email, "password", PASSWORD,
                "_csrf", "forged-token"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(browser.get("/", "Accept", "text/html").location()).startsWith(ISSUER + "/login");
    }

    @Test
    void hostileAndOversizedLoginInputIsJustAFailedLogin() {
        for (String username : List.of("x".repeat(10_000) + "@example.com", "' OR '1'='1' --", "<script>alert(1)</script>",
                "a\u0000b@example.com", "\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9@\u2603.example", "")) {
            Browser.Response response = browser.signIn(username, "x".repeat(10_000));
            assertThat(response.status()).as(username).isEqualTo(302);
            assertThat(response.location()).isEqualTo(ISSUER + "/login?error");
            assertThat(browser.get(response.location()).body()).doesNotContain("<script>alert(1)</script>");
        }
    }

    @Test
    void unknownPageForASignedInUserIsAFriendlyNotFound() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get("/no/such/page");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("There is nothing here.").doesNotContain("Whitelabel");
    }

    @Test
    void consentPageWithMissingOrUnknownParametersIsAFriendlyError() {
        browser.signIn(email, PASSWORD);
        Browser.Response missing = browser.get("/oauth2/consent");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("Something went wrong").doesNotContain("Exception");

        Browser.Response unknown = browser.get("/oauth2/consent?client_id=%3Cscript%3E&scope=openid&state=x");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).doesNotContain("<script>");
    }

    @Test
    void staticThemeFilesAreServed() {
        Browser.Response css = browser.get("/static/latchkey.css", "Accept", "text/css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.body()).contains(".card");
    }

    @Test
    void oversizedFormPostGetsTheErrorPageNotTheContainersPage() {
        Browser.Response page = browser.get("/login");
        Browser.Response response = browser.postForm("/login", Map.of("username", "x".repeat(200_000),
                "password", "y", "_csrf", page.csrf()));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("Something went wrong").doesNotContain("Tomcat");
    }

    @Test
    void pageRequestWithHugeHeaderIsRejectedWithoutServerError() {
        Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve("/login"))
                .header("X-Filler", "y".repeat(20_000)).GET().build());
        assertThat(response.status()).isBetween(400, 499);
    }
}
