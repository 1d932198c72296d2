package io.latchkey.pages;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;


import io.latchkey.support.Browser;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** Account self-service in a real headless Chromium, with mail delivered over SMTP to GreenMail. */
@IntegrationTest
class BrowserAccountTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "browser account passphrase 1";
    private static final String NEW_PASSWORD = "browser account passphrase 2";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @Test
    void registerFollowTheMailedLinkThenSignIn() {
        String email = TestUsers.uniqueEmail("b-register");
        browser.open("/login").click("register-link");
        browser.waitForUrl("/register");
        browser.fill("email", email).fill("name", "Browser User").fill("password", PASSWORD)
                .fill("confirmPassword", PASSWORD).click("register");
        browser.waitFor(By.id("check-email")); // the next page, not the form's own h1
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("Check your email");

        String link = TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/verify-email?token=");
        browser.open(link).click("confirm-email");
        browser.waitFor(By.id("email-verified"));
        browser.click("to-login");
        browser.signIn(email, PASSWORD);
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);
    }

    @Test
    void forgotPasswordResetThenOldFailsNewWorksAndTheLinkWorksOnce() {
        String email = createUser("b-reset");
        browser.open("/login").click("forgot-password-link");
        browser.fill("email", email).click("send-reset-link");
        browser.waitFor(By.id("forgot-password-sent"));
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("Check your email");

        String link = TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/reset-password?token=");
        browser.open(link).fill("password", NEW_PASSWORD).fill("confirmPassword", NEW_PASSWORD).click("reset-password");
        browser.waitFor(By.id("password-reset-done"));

        browser.open("/login");
        browser.signIn(email, PASSWORD);
        browser.waitForUrl("/login?error");
        browser.signIn(email, NEW_PASSWORD);
        browser.waitFor(By.id("account-email"));

        browser.open(link);
        browser.waitFor(By.id("reset-link-invalid"));
    }

    @Test
    void changePasswordOnTheAccountPage() {
        String email = createUser("b-change");
        browser.open("/login");
        browser.signIn(email, PASSWORD);
        browser.waitFor(By.id("account-email"));
        browser.fill("currentPassword", PASSWORD).fill("newPassword", NEW_PASSWORD)
                .fill("confirmPassword", NEW_PASSWORD).click("change-password");
        browser.waitForUrl("/account?saved=password");
        browser.click("sign-out");
        browser.waitForUrl("/login?logout");
        browser.signIn(email, NEW_PASSWORD);
        browser.waitFor(By.id("account-email"));
    }

    @Test
    void changeEmailOnTheAccountPage() {
        String email = createUser("b-old");
        String newEmail = TestUsers.uniqueEmail("b-new");
        browser.open("/login");
        browser.signIn(email, PASSWORD);
        browser.waitFor(By.id("account-email"));
        browser.fill("newEmail", newEmail);
        browser.driver().findElement(By.id("emailCurrentPassword")).sendKeys(PASSWORD);
        browser.click("change-email");
        browser.waitForUrl("/account?saved=email");

        String link = TestMailbox.link(TestMailbox.awaitMessage(newEmail, 1), ISSUER + "/verify-email?token=");
        browser.open(link).click("confirm-email");
        browser.waitFor(By.id("email-verified"));
        TestMailbox.awaitMessage(email, 1);
        browser.open("/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(newEmail);
    }

    @Test
    void revokingAnApplicationsConsentStopsItsRefreshToken() {
        String email = createUser("b-revoke");
        String verifier = OAuth.randomVerifier();
        browser.open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile", "r", verifier));
        browser.waitForUrl("/login");
        browser.signIn(email, PASSWORD);
        browser.waitFor(By.id("submit-consent"));
        browser.click("submit-consent");
        Map<String, String> callback = browser.waitForRedirectTo(CONFIDENTIAL_REDIRECT);
        Browser http = new Browser();
        String refreshToken = OAuth.json(OAuth.post(http, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.get("code"), "redirect_uri",
                        CONFIDENTIAL_REDIRECT, "code_verifier", verifier))).get("refresh_token").asString();

        browser.open("/account");
        browser.click("revoke-" + CONFIDENTIAL_CLIENT);
        browser.waitForUrl("/account?saved=revoked");
        assertThat(browser.elements(By.id("revoke-" + CONFIDENTIAL_CLIENT))).isEmpty();

        Browser.Response refresh = OAuth.post(http, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(OAuth.json(refresh).get("error").asString()).isEqualTo("invalid_grant");
    }

    private String createUser(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        createUser(email, PASSWORD);
        return email;
    }
}
