package io.latchkey.mfa;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.latchkey.support.BrowserSession;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second factor as a person meets it in Chromium: set up from the account page with the key the page shows,
 * then every sign-in asks for a code after the password, a wrong code is explained on the page, and a recovery code
 * works once instead of the app.
 */
@IntegrationTest
class BrowserSecondFactorTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "a browser second factor passphrase";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @Test
    void enrolInTheBrowserThenSignInWithACodeAndWithARecoveryCode() {
        String email = TestUsers.uniqueEmail("browser-totp");
        UUID userId = createUser(email, PASSWORD);
        signInWithPassword(email);
        browser.waitFor(By.id("account-email"));

        browser.click("manage-second-factor");
        browser.waitFor(By.id("start-enrolment"));
        browser.submit("start-enrolment");
        assertThat(browser.waitFor(By.id("qr-code")).findElement(By.tagName("svg")).isDisplayed()).isTrue();
        String secret = browser.element(By.id("manual-key")).getDomAttribute("data-secret");
        assertThat(browser.element(By.id("manual-key")).getText().replace(" ", "")).isEqualTo(secret);
        assertThat(browser.element(By.id("confirm-code")).getDomAttribute("autocomplete")).isEqualTo("one-time-code");
        browser.fill("code", TestTotp.current(secret)).submit("confirm-enrolment");

        List<String> recoveryCodes = browser.waitFor(By.id("recovery-codes")).findElements(By.tagName("li")).stream()
                .map(WebElement::getText).toList();
        assertThat(recoveryCodes).hasSize(10).doesNotHaveDuplicates();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM totp_factors WHERE user_id = ? AND confirmed_at IS NOT NULL",
                Integer.class, userId)).isEqualTo(1);
        browser.click("recovery-codes-continue");
        browser.waitFor(By.id("second-factor-on"));

        signOut();
        signInWithPassword(email);
        browser.waitForUrl("/login/second-factor");
        assertThat(browser.elements(By.id("account-email"))).as("not signed in on the password alone").isEmpty();
        browser.fill("code", TestTotp.wrong(secret)).submit("verify-code");
        assertThat(browser.waitFor(By.className("error-summary")).getText()).contains("wrong or was used already");
        assertThat(browser.element(By.id("code")).getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.fill("code", TestTotp.next(secret)).submit("verify-code");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);

        signOut();
        signInWithPassword(email);
        browser.waitForUrl("/login/second-factor");
        browser.click("use-recovery-code");
        browser.waitForUrl("/login/second-factor?recovery");
        browser.fill("code", recoveryCodes.get(0)).submit("verify-code");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);
        browser.open("/account/second-factor");
        assertThat(browser.waitFor(By.id("recovery-codes-left")).getText()).contains("9");

        // a spent recovery code does not sign in again
        signOut();
        signInWithPassword(email);
        browser.waitForUrl("/login/second-factor");
        browser.click("use-recovery-code");
        browser.waitForUrl("/login/second-factor?recovery");
        browser.fill("code", recoveryCodes.get(0)).submit("verify-code");
        assertThat(browser.waitFor(By.className("error-summary")).getText()).contains("wrong or was used already");
        assertThat(browser.elements(By.id("account-email"))).isEmpty();
    }

    private void signInWithPassword(String email) {
        browser.open("/login");
        browser.signIn(email, PASSWORD);
    }

    private void signOut() {
        browser.open("/account");
        browser.waitFor(By.id("sign-out"));
        browser.submit("sign-out");
    }
}
