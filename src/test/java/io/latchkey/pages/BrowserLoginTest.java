package io.latchkey.pages;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

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
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** The hosted pages in a real headless Chromium: sign-in, consent, errors, keyboard use, console, sign-out. */
@IntegrationTest
class BrowserLoginTest {

    private static final String PASSWORD = "browser test password 42";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    /** One user for the class: every test starts signed out (no cookies), and each bcrypt hash costs ~0.3 s. */
    private static String email;

    @BeforeAll
    static void createUser(@Autowired JdbcTemplate jdbc, @Autowired PasswordEncoder passwordEncoder) {
        email = TestUsers.uniqueEmail("browser");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Grace Hopper");
    }

    @Test
    void authorizationCodeFlowThroughLoginAndConsent() {
        String verifier = OAuth.randomVerifier();
        String state = "state-" + UUID.randomUUID();
        browser.open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile email", state,
                verifier));

        browser.waitForUrl("/login");
        browser.fill("username", email).fill("password", PASSWORD).click("sign-in");

        browser.waitForUrl("/oauth2/consent");
        browser.waitFor(By.id("submit-consent"));
        assertThat(browser.elements(By.cssSelector("input[type=checkbox][name=scope]")))
                .extracting(box -> box.getDomAttribute("value")).contains("profile", "email");
        assertThat(browser.elements(By.cssSelector("input[name=scope]:checked"))).isNotEmpty();
        assertThat(browser.element(By.id("cancel-consent")).isDisplayed()).isTrue();
        assertThat(browser.consoleErrors()).as("console on the login and consent pages").isEmpty();
        browser.click("submit-consent");

        Map<String, String> callback = browser.waitForRedirectTo(CONFIDENTIAL_REDIRECT);
        assertThat(callback.get("state")).isEqualTo(state);
        assertThat(callback.get("iss")).isEqualTo(ISSUER);
        assertThat(callback.get("code")).isNotBlank();

        Browser http = new Browser();
        Browser.Response tokens = OAuth.post(http, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.get("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(OAuth.json(tokens).get("id_token").asString()).isNotBlank();
    }

    @Test
    void wrongPasswordShowsTheGenericErrorAndNoInternals() {
        browser.open("/login").fill("username", email).fill("password", "not the password").click("sign-in");

        browser.waitForUrl("/login?error");
        // the error summary: its heading, then the one error, linked to the password field
        assertThat(browser.waitFor(By.cssSelector("[role=alert]")).getText()).endsWith("\nWrong email or password.");
        assertThat(browser.element(By.cssSelector("[role=alert] a[href='#password']")).getText())
                .isEqualTo("Wrong email or password.");
        assertThat(browser.pageSource()).doesNotContain("Exception").doesNotContain("at io.latchkey")
                .doesNotContain("Whitelabel");
        // the email is kept, so the focus goes to the summary, from where the password field is one link away
        assertThat(browser.focused().getDomAttribute("class")).isEqualTo("error-summary");
        assertThat(browser.element(By.id("username")).getDomProperty("value")).isEqualTo(email);
    }

    @Test
    void loginPageIsUsableWithTheKeyboardAlone() {
        browser.open("/login").waitFor(By.id("sign-in"));

        assertThat(browser.focused().getDomAttribute("id")).as("autofocus").isEqualTo("username");
        browser.focused().sendKeys(email, Keys.TAB);
        assertThat(browser.focused().getDomAttribute("id")).isEqualTo("password");
        browser.focused().sendKeys(PASSWORD, Keys.TAB);
        assertThat(browser.focused().getDomAttribute("id")).as("show/hide button").isEqualTo("password-reveal");
        browser.focused().sendKeys(Keys.TAB);
        assertThat(browser.focused().getDomAttribute("id")).isEqualTo("sign-in");
        browser.focused().sendKeys(Keys.ENTER);

        browser.waitFor(By.id("sign-out"));
        assertThat(browser.currentUrl()).isEqualTo(ISSUER + "/account");
    }

    @Test
    void pagesLogNoConsoleErrorsAndCspViolationsWouldBeSeen() {
        browser.open("/login").waitFor(By.id("sign-in"));
        browser.fill("username", email).fill("password", "wrong").click("sign-in");
        browser.waitForUrl("/login?error");
        browser.fill("username", email).fill("password", PASSWORD).click("sign-in");
        browser.waitFor(By.id("sign-out"));
        assertThat(browser.consoleErrors()).as("console on login, failed login and home pages").isEmpty();

        // The check itself works: an inline script, which the CSP forbids, shows up as a console error.
        browser.driver().executeScript("const s = document.createElement('script');"
                + " s.textContent = 'document.title = 1'; document.head.appendChild(s);");
        assertThat(browser.consoleErrors()).anySatisfy(message -> assertThat(message).contains("Content Security Policy"));
    }

    @Test
    void signingOutEndsTheSession() {
        browser.open("/login").fill("username", email).fill("password", PASSWORD).click("sign-in");
        browser.waitFor(By.id("sign-out"));

        browser.click("sign-out");
        browser.waitForUrl("/login?logout");
        assertThat(browser.waitFor(By.cssSelector("[role=status]")).getText()).isNotBlank();

        browser.open("/");
        browser.waitForUrl("/login");
        assertThat(browser.elements(By.id("sign-out"))).isEmpty();
    }
}
