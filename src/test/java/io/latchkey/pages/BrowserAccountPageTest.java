package io.latchkey.pages;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

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
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account page a careful user trusts, in a real headless Chromium: its sections and landmarks, sign-ins and
 * sessions in words, the notices around password and email changes; the branding every page shares (logo, favicon,
 * the current language marked, a visible focus ring); and "Signed in as … · Not you?" on the login and consent pages.
 */
@IntegrationTest
class BrowserAccountPageTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "account page passphrase 1";
    private static final String NEW_PASSWORD = "account page passphrase 2";
    /** "Chrome on Linux · 127.0.0.1 · just now" (headless Chromium calls itself HeadlessChrome). */
    private static final Pattern READABLE_SIGN_IN = Pattern.compile(
            "(Headless)?Chrome on Linux · (127\\.0\\.0\\.1|::1) · just now");

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @Test
    void theAccountPageHasItsSectionsAndReadsSignInsLikeAPerson() {
        signInToAccount(createUser("p-sections"));
        assertThat(texts(By.cssSelector("main h2"))).containsExactly("Profile", "Security", "Connected applications",
                "Recent activity");
        // no passkeys section: this server's issuer is an IP address, where WebAuthn has no relying party
        assertThat(texts(By.cssSelector("#security h3"))).containsExactly("Second factor", "Password",
                "Email address", "Active sessions");
        assertThat(browser.elements(By.cssSelector("header.brand"))).hasSize(1);
        assertThat(browser.elements(By.cssSelector("main section[aria-labelledby]"))).hasSizeGreaterThanOrEqualTo(4);

        String signIn = browser.element(By.cssSelector(".sign-ins li")).getText();
        assertThat(signIn).matches(READABLE_SIGN_IN);
        assertThat(browser.element(By.cssSelector(".sign-ins time")).getAttribute("datetime")).endsWith("Z");
        String session = browser.element(By.cssSelector(".sessions li.current")).getText();
        assertThat(session).containsPattern("(Headless)?Chrome on Linux").contains("This device")
                .contains("Signed in just now");
        String page = browser.element(By.tagName("main")).getText();
        assertThat(page).doesNotContain("0:0:0:0:0:0:0:1").doesNotContain("Mozilla/5.0");

        browser.open("/account?lang=de");
        assertThat(browser.waitFor(By.cssSelector(".sign-ins li")).getText())
                .matches("(Headless)?Chrome unter Linux · (127\\.0\\.0\\.1|::1) · gerade eben");
        assertThat(texts(By.cssSelector("main h2"))).containsExactly("Profil", "Sicherheit", "Verbundene Anwendungen",
                "Letzte Aktivität");
    }

    @Test
    void everyPageShowsTheLogoHasTheFaviconAndMarksOnlyTheCurrentLanguage() {
        browser.open("/login");
        WebElement logo = browser.waitFor(By.cssSelector("header .brand-logo"));
        assertThat(logo.getAttribute("src")).isEqualTo(ISSUER + "/static/latchkey-logo.svg");
        assertThat(((Number) browser.driver().executeScript("return arguments[0].naturalWidth", logo)).intValue())
                .isPositive();
        String favicon = browser.element(By.cssSelector("head link[rel=icon]")).getAttribute("href");
        assertThat(favicon).isEqualTo(ISSUER + "/static/favicon.svg");
        Browser.Response icon = new Browser().get("/static/favicon.svg", "Accept", "image/svg+xml");
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.body()).startsWith("<svg");

        List<WebElement> current = browser.elements(By.cssSelector(".languages a[aria-current=true]"));
        assertThat(current).hasSize(1);
        assertThat(current.get(0).getText()).isEqualTo("English");
        assertThat(fontWeight(".languages a[lang=en]")).isEqualTo("700");
        assertThat(fontWeight(".languages a[lang=de]")).isEqualTo("400");
        browser.open("/login?lang=de");
        browser.waitFor(By.id("sign-in"));
        assertThat(browser.element(By.cssSelector(".languages a[aria-current=true]")).getText()).isEqualTo("Deutsch");
        assertThat(fontWeight(".languages a[lang=en]")).isEqualTo("400");
    }

    @Test
    void theFocusRingIsTheThemesThreeToOneColour() {
        browser.open("/login");
        WebElement email = browser.waitFor(By.id("username"));
        email.click();
        Object outline = browser.driver().executeScript("const s = getComputedStyle(document.activeElement);"
                + "return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor;");
        assertThat(outline).isEqualTo("solid 3px rgb(31, 95, 191)"); // #1f5fbf, 6.1:1 on white (FocusRingContrastTest)
    }

    @Test
    void changingThePasswordMailsTheAccountsAddress() throws Exception {
        String email = createUser("p-pwmail");
        signInToAccount(email);
        browser.fill("currentPassword", PASSWORD).fill("newPassword", NEW_PASSWORD)
                .fill("confirmPassword", NEW_PASSWORD).click("change-password");
        browser.waitForUrl("/account?saved=password");
        var mail = TestMailbox.awaitMessage(email, 1);
        assertThat(TestMailbox.subject(mail)).isEqualTo("The password of your account was changed");
        assertThat(mail.getContent().toString()).isNotNull();
    }

    @Test
    void theEmailChangeNamesTheNewAddressAndConfirmingItSignedInDoesNotAskToSignIn() {
        String email = createUser("p-old");
        String newEmail = TestUsers.uniqueEmail("p-new");
        signInToAccount(email);
        browser.fill("newEmail", newEmail);
        browser.driver().findElement(By.id("emailCurrentPassword")).sendKeys(PASSWORD);
        browser.click("change-email");
        browser.waitForUrl("/account?saved=email");
        assertThat(browser.waitFor(By.id("saved")).getText()).contains(newEmail);

        String link = TestMailbox.link(TestMailbox.awaitMessage(newEmail, 1), ISSUER + "/verify-email?token=");
        browser.open(link).click("confirm-email");
        browser.waitFor(By.id("email-verified"));
        assertThat(browser.element(By.id("email-now")).getText()).isEqualTo("Your email address is now " + newEmail + ".");
        assertThat(browser.elements(By.id("to-login"))).isEmpty();
        assertThat(browser.element(By.tagName("main")).getText()).doesNotContain("sign in");
        browser.click("to-account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(newEmail);
    }

    @Test
    void notYouOnTheConsentPageSignsOutAndTheFlowGoesOnForTheRightUser() {
        String first = createUser("p-notyou-a");
        String second = createUser("p-notyou-b");
        browser.open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile", "s1",
                OAuth.randomVerifier()));
        browser.signIn(first, PASSWORD);
        browser.waitFor(By.id("submit-consent"));
        assertThat(browser.element(By.id("signed-in-as")).getText()).isEqualTo("Signed in as " + first + " · Not you?");

        browser.submit("not-you"); // waits until the page that had the link is gone
        browser.signIn(second, PASSWORD); // the same authorization request asks the new user to sign in
        browser.waitFor(By.id("submit-consent"));
        assertThat(browser.element(By.id("signed-in-as")).getText()).startsWith("Signed in as " + second);
        browser.click("submit-consent");
        assertThat(browser.waitForRedirectTo(CONFIDENTIAL_REDIRECT)).containsEntry("state", "s1").containsKey("code");
    }

    @Test
    void aLoginPageShownToSomeoneSignedInSaysWhoAndNotYouStartsOver() {
        String first = createUser("p-prompt-a");
        String second = createUser("p-prompt-b");
        signInToAccount(first);
        browser.open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile", "s2",
                OAuth.randomVerifier(), "prompt", "login"));
        browser.waitFor(By.id("sign-in"));
        assertThat(browser.element(By.id("signed-in-as")).getText()).isEqualTo("Signed in as " + first + " · Not you?");

        browser.submit("not-you"); // waits until the page that had the link is gone
        browser.waitFor(By.id("sign-in"));
        assertThat(browser.elements(By.id("signed-in-as"))).isEmpty();
        browser.signIn(second, PASSWORD);
        browser.waitFor(By.id("submit-consent"));
        assertThat(browser.element(By.id("signed-in-as")).getText()).startsWith("Signed in as " + second);
    }

    @Test
    void signingOutAnywhereElseStillEndsOnTheSignInPage() {
        signInToAccount(createUser("p-signout"));
        browser.click("sign-out");
        browser.waitForUrl("/login?logout");
    }

    private String fontWeight(String selector) {
        return String.valueOf(browser.driver().executeScript(
                "return getComputedStyle(document.querySelector(arguments[0])).fontWeight", selector));
    }

    private List<String> texts(By by) {
        return browser.elements(by).stream().map(WebElement::getText).toList();
    }

    private void signInToAccount(String email) {
        browser.open("/login");
        browser.signIn(email, PASSWORD);
        browser.waitFor(By.id("account-email"));
    }

    private String createUser(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        createUser(email, PASSWORD);
        return email;
    }
}
