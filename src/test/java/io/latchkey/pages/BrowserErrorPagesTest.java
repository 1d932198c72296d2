package io.latchkey.pages;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.support.Browser;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error pages in a real headless Chromium: a title, heading, next step and way back per status; a missing page
 * is a 404 without a detour through the login page; the language survives the sign-in redirects; Cancel on the
 * consent page tells the application why; the logout endpoint without parameters is a page, not an error.
 */
@IntegrationTest
class BrowserErrorPagesTest {

    private static final String PASSWORD = "error pages password 31";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    private static String email;

    @BeforeAll
    static void createUser(@Autowired JdbcTemplate jdbc, @Autowired PasswordEncoder passwordEncoder) {
        email = TestUsers.uniqueEmail("error-pages");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Barbara Liskov");
    }

    @Test
    void eachStatusHasItsOwnTitleHeadingNextStepAndWayBack() {
        signIn();
        expectPage("/oauth2/consent", "This request cannot be used", "Status 400");
        expectPage("/no/such/page", "Page not found", "Status 404");
        expectPage("/test-only/failure", "Latchkey ran into a problem", "Status 500");
        assertThat(browser.pageSource()).doesNotContain("a failure the error page must not show");
        expectPage("/test-only/busy", "The server is busy", "Status 503");
        expectPage("/test-only/rate-limited?seconds=30", "Please wait a moment", "Status 429");

        // 403: a form whose CSRF token is not the session's
        browser.open("/account");
        postFromThePage("/account", "forged-token");
        expectShown("Not allowed", "Status 403");
        // 405: a page that only shows, sent a form
        browser.open("/account");
        postFromThePage("/", browser.element(By.name("_csrf")).getDomAttribute("value"));
        expectShown("Not available this way", "Status 405");
    }

    @Test
    void theWaitOn429IsTheRetryAfterSentInWordsInBothLanguages() {
        signIn();
        Map<Long, String> english = Map.of(1L, "wait 1 second and", 30L, "wait 30 seconds and", 61L,
                "wait 2 minutes and", 120L, "wait 2 minutes and", 3600L, "wait 1 hour and");
        english.forEach((seconds, words) -> {
            browser.open("/test-only/rate-limited?seconds=" + seconds);
            assertThat(browser.element(By.id("too-many-requests")).getText()).as("%d s", seconds).contains(words);
        });
        Map<Long, String> german = Map.of(1L, "warten Sie bitte 1 Sekunde und", 30L, "warten Sie bitte 30 Sekunden und",
                120L, "warten Sie bitte 2 Minuten und");
        german.forEach((seconds, words) -> {
            browser.open("/test-only/rate-limited?lang=de&seconds=" + seconds);
            assertThat(browser.element(By.id("too-many-requests")).getText()).as("%d s", seconds).contains(words);
        });
        assertThat(browser.driver().getTitle()).startsWith("Bitte warten Sie einen Moment");
    }

    @Test
    void theWayBackLeadsToTheApplicationTheRequestCameFrom() {
        signIn();
        browser.open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, "https://attacker.example/callback", "openid", "s",
                OAuth.randomVerifier()));
        expectShown("The application's request cannot be accepted", "Status 400");
        assertThat(browser.element(By.id("way-back")).getText()).isEqualTo("Back to Confidential Test App");
        assertThat(browser.element(By.id("way-back")).getDomAttribute("href")).isEqualTo("http://127.0.0.1/");
        assertThat(browser.pageSource()).doesNotContain("attacker.example");
    }

    @Test
    void anUnknownPathIsA404WithoutALoginDetourAndIsNotWhereSignInLeads() {
        Browser http = new Browser();
        Browser.Response missing = http.get("/no-such-page?continue", "Accept", "text/html");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Location")).isNull();
        assertThat(missing.headers().getOrDefault("set-cookie", java.util.List.of()))
                .noneMatch(cookie -> cookie.contains("return-to"));

        browser.open("/no-such-page?continue");
        assertThat(browser.currentUrl()).isEqualTo(ISSUER + "/no-such-page?continue");
        assertThat(browser.driver().getTitle()).startsWith("Page not found");
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("Page not found");
        browser.open("/login");
        browser.fill("username", email).fill("password", PASSWORD).click("sign-in");
        browser.waitForUrl("/account");
        assertThat(browser.currentUrl()).doesNotContain("no-such-page");
    }

    @Test
    void cancelOnTheConsentPageTellsTheApplicationTheUserDenied() {
        browser.open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile",
                "state-" + UUID.randomUUID(), OAuth.randomVerifier()));
        browser.waitForUrl("/login");
        browser.fill("username", email).fill("password", PASSWORD).click("sign-in");
        browser.waitForUrl("/oauth2/consent");
        browser.click("cancel-consent");
        Map<String, String> callback = browser.waitForRedirectTo(CONFIDENTIAL_REDIRECT);
        assertThat(callback.get("error")).isEqualTo("access_denied");
        assertThat(callback.get("error_description")).isEqualTo("The user denied the request.");
    }

    @Test
    void theLanguageChosenIsKeptAcrossTheSignInRedirects() {
        browser.open("/account?lang=de");
        browser.waitForUrl("/login");
        assertThat(browser.element(By.tagName("html")).getDomAttribute("lang")).isEqualTo("de");
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("Anmelden");
        browser.fill("username", email).fill("password", PASSWORD).click("sign-in");
        browser.waitForUrl("/account");
        assertThat(browser.element(By.tagName("html")).getDomAttribute("lang")).isEqualTo("de");
    }

    @Test
    void anApplicationsUiLocalesChoosesTheLoginPagesLanguage() {
        browser.open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid", "s",
                OAuth.randomVerifier(), "ui_locales", "fr de"));
        browser.waitForUrl("/login");
        assertThat(browser.element(By.tagName("html")).getDomAttribute("lang")).isEqualTo("de");
    }

    @Test
    void theLogoutEndpointWithoutParametersIsASignOutPage() {
        browser.open("/connect/logout");
        browser.waitForUrl("/sign-out");
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("You are signed out");
        assertThat(browser.driver().getTitle()).startsWith("You are signed out");

        signIn();
        browser.open("/connect/logout");
        browser.waitForUrl("/sign-out");
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("Sign out of Latchkey?");
        browser.click("sign-out");
        browser.waitForUrl("/login?logout");
        browser.open("/account");
        browser.waitForUrl("/login");
    }

    private static void signIn() {
        browser.open("/login");
        browser.fill("username", email).fill("password", PASSWORD).click("sign-in");
        browser.waitForUrl("/account");
    }

    private static void expectPage(String path, String heading, String status) {
        browser.open(path);
        expectShown(heading, status);
    }

    private static void expectShown(String heading, String status) {
        browser.waitFor(By.id("error-heading"));
        assertThat(browser.driver().getTitle()).isEqualTo(heading + " · Latchkey");
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo(heading);
        assertThat(browser.pageSource()).contains(status);
        assertThat(browser.elements(By.id("way-back"))).hasSize(1);
        assertThat(browser.element(By.id("way-back")).getDomAttribute("href")).isNotBlank();
    }

    /** Submits a form built on the current page (WebDriver's script is not the page's, so the CSP allows it). */
    private static void postFromThePage(String action, String csrfToken) {
        browser.driver().executeScript("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                const token = document.createElement('input');
                token.type = 'hidden';
                token.name = '_csrf';
                token.value = arguments[1];
                form.appendChild(token);
                document.body.appendChild(form);
                form.submit();
                """, action, csrfToken);
        browser.waitFor(By.id("error-heading"));
    }
}
