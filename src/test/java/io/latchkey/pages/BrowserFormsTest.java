package io.latchkey.pages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.account.RegistrationSettings;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hosted form in a real headless Chromium under the CSP: a failed submit names every error at once in a
 * summary that takes the focus and links to each field; each field is tied to its error; what was typed is kept
 * except passwords; password managers find the right autocomplete tokens and a username; passwords can be shown
 * and hidden and new ones are counted while typing (latchkey-forms.js); and nothing scrolls sideways at 320 px.
 */
@IntegrationTest
class BrowserFormsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "browser forms passphrase 1";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @Autowired
    private RegistrationSettings registration;

    @Test
    void anEmptyRegistrationNamesEveryFieldAtOnceAndKeepsWhatWasTyped() {
        browser.open("/register").waitFor(By.id("register"));
        browser.submit("register");
        assertFailedSubmit(List.of("email", "password", "confirmPassword"),
                List.of("Enter your email address.", "Enter a password.", "Repeat the password."));

        String email = TestUsers.uniqueEmail("forms-kept");
        browser.fill("email", email).fill("name", "Kept Name").fill("password", "short")
                .fill("confirmPassword", "other").submit("register");
        assertFailedSubmit(List.of("password", "confirmPassword"),
                List.of("The password is too short.", "The passwords do not match."));
        assertThat(value("email")).isEqualTo(email);
        assertThat(value("name")).isEqualTo("Kept Name");
        assertThat(value("password")).isEmpty();
        assertThat(value("confirmPassword")).isEmpty();
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aWrongPasswordKeepsTheEmailAndTheSummaryTakesTheFocus() {
        String email = TestUsers.uniqueEmail("forms-login");
        createUser(email, PASSWORD);
        browser.open("/login").fill("username", email).fill("password", "not the password").submit("sign-in");
        browser.waitForUrl("/login?error");
        assertFailedSubmit(List.of("password"), List.of("Wrong email or password."));
        assertThat(describedBy("username")).isEqualTo("Wrong email or password.");
        assertThat(value("username")).isEqualTo(email);
        assertThat(value("password")).isEmpty();

        browser.fill("password", PASSWORD).submit("sign-in");
        browser.waitFor(By.id("account-email"));
        browser.open("/login?error");
        assertThat(value("username")).as("kept once only").isEmpty();
    }

    @Test
    void anUnconfirmedAddressIsKeptInTheForm() {
        String email = TestUsers.uniqueEmail("forms-unverified");
        UUID id = createUser(email, PASSWORD);
        jdbc.update("UPDATE users SET email_verified = false WHERE id = ?", id);
        browser.open("/login").fill("username", email).fill("password", PASSWORD).submit("sign-in");
        browser.waitForUrl("/login?unverified");
        browser.waitFor(By.id("unverified"));
        assertThat(value("username")).isEqualTo(email);
    }

    @Test
    void forgotPasswordAndTheResendFormNameTheirErrors() {
        browser.open("/forgot-password").waitFor(By.id("send-reset-link"));
        browser.submit("send-reset-link");
        assertFailedSubmit(List.of("email"), List.of("Enter your email address."));
        browser.fill("email", "not-an-email").submit("send-reset-link");
        assertFailedSubmit(List.of("email"), List.of("Enter a valid email address."));
        assertThat(value("email")).isEqualTo("not-an-email");
        assertThat(attribute("email", "autocomplete")).isEqualTo("username");

        browser.open("/verify-email?token=nope").waitFor(By.id("resend-verification"));
        browser.submit("resend-verification");
        assertFailedSubmit(List.of("email"), List.of("Enter your email address."));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theResetFormNamesEveryErrorAndGivesPasswordManagersTheUsername() {
        String email = TestUsers.uniqueEmail("forms-reset");
        createUser(email, PASSWORD);
        browser.open("/forgot-password").fill("email", email).submit("send-reset-link");
        browser.waitFor(By.id("forgot-password-sent"));
        String link = TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/reset-password?token=");

        browser.open(link).waitFor(By.id("reset-password"));
        assertHiddenUsername(email);
        assertThat(attribute("password", "autocomplete")).isEqualTo("new-password");
        assertThat(attribute("confirmPassword", "autocomplete")).isEqualTo("new-password");
        browser.submit("reset-password");
        assertFailedSubmit(List.of("password", "confirmPassword"),
                List.of("Enter a password.", "Repeat the password."));
        browser.fill("password", "password12345").fill("confirmPassword", "password1234").submit("reset-password");
        assertFailedSubmit(List.of("password", "confirmPassword"),
                List.of("This password is too common. Choose one that is harder to guess.", "The passwords do not match."));
        assertHiddenUsername(email);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theAccountFormsNameEveryErrorAtOnce() {
        String email = TestUsers.uniqueEmail("forms-account");
        createUser(email, PASSWORD);
        signIn(email, PASSWORD);
        assertHiddenUsername(email);

        browser.fill("currentPassword", "not the password").fill("newPassword", "short")
                .fill("confirmPassword", "different").submit("change-password");
        assertFailedSubmit(List.of("currentPassword", "newPassword", "confirmNewPassword"),
                List.of("The current password is not right.", "The password is too short.", "The passwords do not match."));
        assertHiddenUsername(email);

        browser.fill("newEmail", "not-an-email").submit("change-email");
        assertFailedSubmit(List.of("newEmail", "emailCurrentPassword"),
                List.of("Enter a valid email address.", "Enter your current password."));
        assertThat(value("newEmail")).isEqualTo("not-an-email");

        browser.fill("newEmail", email);
        browser.element(By.id("emailCurrentPassword")).sendKeys("wrong again");
        browser.submit("change-email");
        assertFailedSubmit(List.of("newEmail", "emailCurrentPassword"),
                List.of("This is already your email address.", "The current password is not right."));

        browser.driver().executeScript("document.getElementById('name').value = 'n'.repeat(201)");
        browser.submit("save-profile");
        assertFailedSubmit(List.of("name"), List.of("The name is too long."));
        assertThat(value("name")).hasSize(201);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void autocompleteTellsPasswordManagersWhatEachFieldIs() {
        browser.open("/login").waitFor(By.id("sign-in"));
        assertThat(attribute("username", "autocomplete")).isEqualTo("username");
        assertThat(attribute("password", "autocomplete")).isEqualTo("current-password");
        browser.open("/register").waitFor(By.id("register"));
        assertThat(attribute("email", "autocomplete")).isEqualTo("username");
        assertThat(attribute("name", "autocomplete")).isEqualTo("name");
        assertThat(attribute("password", "autocomplete")).isEqualTo("new-password");
        assertThat(attribute("confirmPassword", "autocomplete")).isEqualTo("new-password");
        browser.open("/forgot-password").waitFor(By.id("send-reset-link"));
        assertThat(attribute("email", "autocomplete")).isEqualTo("username");

        String email = TestUsers.uniqueEmail("forms-autocomplete");
        createUser(email, PASSWORD);
        signIn(email, PASSWORD);
        assertThat(attribute("currentPassword", "autocomplete")).isEqualTo("current-password");
        assertThat(attribute("newPassword", "autocomplete")).isEqualTo("new-password");
        assertThat(attribute("confirmNewPassword", "autocomplete")).isEqualTo("new-password");
        assertThat(attribute("emailCurrentPassword", "autocomplete")).isEqualTo("current-password");
        assertThat(attribute("newEmail", "autocomplete")).isEqualTo("email");
    }

    @Test
    void passwordsCanBeShownAndHiddenUnderTheCsp() {
        browser.open("/login").waitFor(By.id("sign-in"));
        WebElement reveal = browser.waitFor(By.id("password-reveal"));
        browser.fill("password", "secret words");
        assertThat(attribute("password", "type")).isEqualTo("password");
        assertThat(reveal.getText()).isEqualTo("Show password");
        assertThat(reveal.getDomAttribute("aria-pressed")).isEqualTo("false");
        reveal.click();
        assertThat(attribute("password", "type")).isEqualTo("text");
        assertThat(reveal.getText()).isEqualTo("Hide password");
        assertThat(reveal.getDomAttribute("aria-pressed")).isEqualTo("true");
        assertThat(value("password")).isEqualTo("secret words");
        reveal.click();
        assertThat(attribute("password", "type")).isEqualTo("password");

        browser.open("/register?lang=de").waitFor(By.id("register"));
        assertThat(browser.waitFor(By.id("confirmPassword-reveal")).getText()).isEqualTo("Passwort anzeigen");
        browser.click("password-reveal");
        assertThat(attribute("password", "type")).isEqualTo("text");
        assertThat(attribute("confirmPassword", "type")).as("each field on its own").isEqualTo("password");
        assertThat(browser.consoleErrors()).as("no CSP violation, no script error").isEmpty();
    }

    @Test
    void newPasswordsAreCountedWhileTyping() {
        int min = registration.passwordMinLength();
        browser.open("/register").waitFor(By.id("register"));
        WebElement count = browser.waitFor(By.id("password-count"));
        waitUntil(() -> count.isDisplayed());
        assertThat(count.getText()).isEqualTo("0 of at least " + min + " characters");
        browser.element(By.id("password")).sendKeys("abcde");
        assertThat(count.getText()).isEqualTo("5 of at least " + min + " characters");
        // ChromeDriver types only characters of the Basic Multilingual Plane: the emoji is put in as by a paste
        browser.driver().executeScript("const field = document.getElementById('password');"
                + " field.value += '\\uD83D\\uDE00'; field.dispatchEvent(new Event('input'));");
        assertThat(count.getText()).as("an emoji is one character").isEqualTo("6 of at least " + min + " characters");
        assertThat(count.getDomAttribute("aria-live")).isEqualTo("polite");

        browser.open("/register?lang=de").waitFor(By.id("register"));
        browser.element(By.id("password")).sendKeys("abc");
        assertThat(browser.element(By.id("password-count")).getText()).isEqualTo("3 von mindestens " + min + " Zeichen");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void noPageScrollsSidewaysAt320Pixels() {
        String email = TestUsers.uniqueEmail("forms-narrow-with-a-rather-long-address");
        createUser(email, PASSWORD);
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 320, "height", 640, "deviceScaleFactor", 1, "mobile", true));
        try {
            List<String> wide = new ArrayList<>();
            for (String page : List.of("/login", "/login?error", "/login?lang=de", "/register", "/register?lang=de",
                    "/forgot-password", "/verify-email?token=nope", "/reset-password?token=nope")) {
                browser.open(page).waitFor(By.tagName("main"));
                checkWidth(page, wide);
            }
            browser.open("/register?lang=de").waitFor(By.id("register"));
            browser.submit("register");
            browser.waitFor(By.className("error-summary"));
            checkWidth("/register?lang=de with errors", wide);

            browser.open("/login");
            signIn(email, PASSWORD);
            checkWidth("/account", wide);
            browser.fill("currentPassword", "not the password").submit("change-password");
            browser.waitFor(By.className("error-summary"));
            checkWidth("/account with errors", wide);
            browser.open("/account?lang=de").waitFor(By.id("account-email"));
            checkWidth("/account?lang=de", wide);
            assertThat(wide).as("pages wider than 320 px").isEmpty();
        }
        finally {
            browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private void checkWidth(String page, List<String> wide) {
        screenshot(page);
        Number width = (Number) browser.driver().executeScript("return document.documentElement.scrollWidth");
        if (width.intValue() > 320) {
            // the innermost elements that reach past the right edge, to say what to fix
            Object culprits = browser.driver().executeScript("return Array.from(document.querySelectorAll('body *'))"
                    + ".filter(e => e.getBoundingClientRect().right > 320 && !Array.from(e.children)"
                    + ".some(c => c.getBoundingClientRect().right > 320))"
                    + ".map(e => e.outerHTML.substring(0, 120)).slice(0, 5).join(' | ')");
            wide.add(page + ": " + width + " px, " + culprits);
        }
    }

    /** For review: each page at 320 px, in target/screenshots/forms-320/. */
    private void screenshot(String page) {
        try {
            Path folder = Path.of("target", "screenshots", "forms-320");
            Files.createDirectories(folder);
            Files.write(folder.resolve(page.replaceAll("[^A-Za-z0-9]+", "_") + ".png"),
                    browser.driver().getScreenshotAs(OutputType.BYTES));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The summary after a failed submit: a focused alert with a heading and one link per error, in the order of
     * the fields; each field marked invalid and described by its error's text.
     */
    private void assertFailedSubmit(List<String> fieldIds, List<String> messages) {
        WebElement summary = browser.waitFor(By.className("error-summary"));
        assertThat(summary.getDomAttribute("role")).isEqualTo("alert");
        assertThat(summary.getDomAttribute("tabindex")).isEqualTo("-1");
        assertThat(summary.findElement(By.tagName("h2")).getText()).isEqualTo("There is a problem");
        waitUntil(() -> "error-summary".equals(browser.focused().getDomAttribute("class")));
        Object active = browser.driver().executeScript("return document.activeElement.className");
        assertThat(active).as("document.activeElement").isEqualTo("error-summary");

        List<WebElement> links = summary.findElements(By.tagName("a"));
        assertThat(links).extracting(link -> link.getDomAttribute("href"))
                .containsExactlyElementsOf(fieldIds.stream().map(id -> "#" + id).toList());
        assertThat(links).extracting(WebElement::getText).containsExactlyElementsOf(messages);
        for (int i = 0; i < fieldIds.size(); i++) {
            String id = fieldIds.get(i);
            assertThat(attribute(id, "aria-invalid")).as(id).isEqualTo("true");
            assertThat(describedBy(id)).as(id).contains(messages.get(i));
        }
        // no other field is marked
        assertThat(browser.elements(By.cssSelector("[aria-invalid=true]"))).extracting(field -> field.getDomAttribute("id"))
                .filteredOn(id -> !id.equals("username") || !fieldIds.contains("password"))
                .containsExactlyInAnyOrderElementsOf(fieldIds);
    }

    /** The texts of the elements a field's aria-describedby names, each of which must exist. */
    private String describedBy(String id) {
        String ids = attribute(id, "aria-describedby");
        assertThat(ids).as(id + " aria-describedby").isNotBlank();
        return String.join(" ", Arrays.stream(ids.trim().split("\\s+"))
                .map(describing -> browser.element(By.id(describing)).getText()).toList());
    }

    private void assertHiddenUsername(String email) {
        WebElement username = browser.element(By.id("username"));
        assertThat(username.getDomAttribute("autocomplete")).isEqualTo("username");
        assertThat(username.getDomProperty("value")).isEqualTo(email);
        assertThat(username.getDomAttribute("tabindex")).isEqualTo("-1");
        assertThat(username.getRect().getWidth()).as("visually hidden").isLessThanOrEqualTo(1);
        assertThat(username.getRect().getHeight()).as("visually hidden").isLessThanOrEqualTo(1);
    }

    private void signIn(String email, String password) {
        browser.open("/login").signIn(email, password);
        browser.waitFor(By.id("account-email"));
    }

    private String value(String id) {
        return browser.element(By.id(id)).getDomProperty("value");
    }

    private String attribute(String id, String name) {
        return browser.element(By.id(id)).getDomAttribute(name);
    }

    private void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(5), Duration.ofMillis(50))
                .until(driver -> condition.getAsBoolean());
    }
}
