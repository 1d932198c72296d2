package io.latchkey.account;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.latchkey.support.Browser;
import io.latchkey.support.TestMailbox;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** The account pages and mailed links as a user goes through them, over HTTP with real mail. */
final class AccountPages {

    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"token\"\\s+value=\"([^\"]+)\"");

    private AccountPages() {
    }

    static Browser signedIn(String email, String password) {
        Browser browser = new Browser();
        assertThat(browser.signIn(email, password).location()).isEqualTo(ISSUER + "/");
        return browser;
    }

    /** Asks for an email change on the account page; the confirmation link goes to the new address. */
    static void requestEmailChange(Browser signedIn, String newEmail, String password) {
        Browser.Response page = signedIn.get("/account");
        assertThat(signedIn.postForm("/account/email", Map.of("newEmail", newEmail, "currentPassword", password,
                "_csrf", page.csrf())).location()).isEqualTo(ISSUER + "/account?saved=email");
    }

    /** Opens a verification or email-change link and presses its button (also when the page offers none). */
    static Browser.Response confirm(String verifyLink) {
        Browser browser = new Browser();
        Browser.Response page = browser.get(verifyLink);
        return browser.postForm("/verify-email", Map.of("token", token(verifyLink), "_csrf", page.csrf()));
    }

    /** Asks for an email change and confirms it from the new address (its {@code mailNumber}-th mail). */
    static void changeEmail(Browser signedIn, String newEmail, String password, int mailNumber) {
        requestEmailChange(signedIn, newEmail, password);
        assertThat(confirm(link(newEmail, mailNumber, "/verify-email")).body()).contains("id=\"email-verified\"");
    }

    static void forgotPassword(String email) {
        Browser browser = new Browser();
        Browser.Response form = browser.get("/forgot-password");
        assertThat(browser.postForm("/forgot-password", Map.of("email", email, "_csrf", form.csrf())).status())
                .isEqualTo(200);
    }

    /** Sends a new password with a reset token, as the reset form does; the page it ends on. */
    static Browser.Response resetPassword(String token, String newPassword) {
        Browser browser = new Browser();
        Browser.Response anyForm = browser.get("/forgot-password");
        return browser.postForm("/reset-password", Map.of("token", token, "password", newPassword,
                "confirmPassword", newPassword, "_csrf", anyForm.csrf()));
    }

    /** The link to {@code path} in the {@code mailNumber}-th mail to the address (1 = first). */
    static String link(String address, int mailNumber, String path) {
        return TestMailbox.link(TestMailbox.awaitMessage(address, mailNumber), ISSUER + path + "?token=");
    }

    static String token(String link) {
        return link.substring(link.indexOf("token=") + "token=".length());
    }

    /** The token in the hidden field of a page's form. */
    static String formToken(Browser.Response page) {
        Matcher matcher = FORM_TOKEN.matcher(page.body());
        assertThat(matcher.find()).as("a token field in: " + page.body()).isTrue();
        return matcher.group(1);
    }
}
