package io.latchkey.account;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notice to the old address carries a link that undoes an email change: the owner of a hijacked account
 * gets the address back, the hijacker loses every session, token and the password, and the owner chooses a
 * new password.
 */
@IntegrationTest
class EmailChangeUndoTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "the owner's first passphrase";

    @Test
    void theOwnerTakesTheAccountBackFromAHijacker() {
        String owner = TestUsers.uniqueEmail("undo-owner");
        String hijacker = TestUsers.uniqueEmail("undo-hijacker");
        UUID userId = createUser(owner, PASSWORD);

        // the hijacker knows the password: moves the account to their address, sets a password of their own
        // through a reset that now goes to them, signs in with it and lets an application sign in
        AccountPages.changeEmail(AccountPages.signedIn(owner, PASSWORD), hijacker, PASSWORD, 1);
        AccountPages.forgotPassword(hijacker);
        assertThat(AccountPages.resetPassword(AccountPages.token(AccountPages.link(hijacker, 2, "/reset-password")),
                "the hijacker's passphrase").body()).contains("id=\"password-reset-done\"");
        Browser hijackerBrowser = AccountPages.signedIn(hijacker, "the hijacker's passphrase");
        Browser app = new Browser();
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(app, CodeFlow.authorizeUrl(TestServerInitializer.TRUSTED_CLIENT,
                TestServerInitializer.TRUSTED_REDIRECT, "openid", "s", verifier), hijacker, "the hijacker's passphrase");
        Map<String, String> tokens = tokens(OAuth.post(app, "/oauth2/token", TestServerInitializer.TRUSTED_CLIENT,
                TestServerInitializer.TRUSTED_SECRET, OAuth.form("grant_type", "authorization_code",
                        "code", callback.locationParam("code"), "redirect_uri", TestServerInitializer.TRUSTED_REDIRECT,
                        "code_verifier", verifier)));
        assertThat(userInfo(tokens.get("access_token"))).isEqualTo(200);

        // the notice to the old address offers the undo link, not a reset that would mail the hijacker
        MimeMessage notice = TestMailbox.awaitMessage(owner, 1);
        assertThat(GreenMailUtil.getBody(notice)).doesNotContain("forgot-password");
        String undoLink = AccountPages.link(owner, 1, "/undo-email-change");

        Browser ownerBrowser = new Browser();
        Browser.Response confirmPage = ownerBrowser.get(undoLink);
        assertThat(confirmPage.body()).contains("id=\"undo-email-change\"").contains(owner);
        assertThat(emailOf(userId)).as("opening the link changes nothing").isEqualTo(hijacker);
        Browser.Response undone = ownerBrowser.postForm("/undo-email-change",
                Map.of("token", AccountPages.token(undoLink), "_csrf", confirmPage.csrf()));
        assertThat(undone.status()).isEqualTo(200);
        assertThat(undone.body()).contains("id=\"reset-password\"").contains("id=\"email-restored\"").contains(owner);

        assertThat(emailOf(userId)).isEqualTo(owner);
        assertThat(hijackerBrowser.get("/account").location()).startsWith(ISSUER + "/login");
        assertThat(app.get("/account").location()).startsWith(ISSUER + "/login");
        assertThat(userInfo(tokens.get("access_token"))).isEqualTo(401);
        assertThat(OAuth.post(app, "/oauth2/token", TestServerInitializer.TRUSTED_CLIENT,
                TestServerInitializer.TRUSTED_SECRET, OAuth.form("grant_type", "refresh_token",
                        "refresh_token", tokens.get("refresh_token"))).status()).isEqualTo(400);
        for (String password : List.of(PASSWORD, "the hijacker's passphrase")) {
            assertThat(new Browser().signIn(owner, password).location()).isEqualTo(ISSUER + "/login?error");
            assertThat(new Browser().signIn(hijacker, password).location()).isEqualTo(ISSUER + "/login?error");
        }

        Browser.Response saved = ownerBrowser.postForm("/reset-password", Map.of("token", AccountPages.formToken(undone),
                "password", "the owner's second passphrase", "confirmPassword", "the owner's second passphrase",
                "_csrf", undone.csrf()));
        assertThat(saved.body()).contains("id=\"password-reset-done\"");
        assertThat(new Browser().signIn(owner, "the owner's second passphrase").location()).isEqualTo(ISSUER + "/");
        assertThat(jdbc.queryForObject("SELECT subject FROM audit_events WHERE type = 'EMAIL_CHANGE_UNDONE' "
                + "AND user_id = ?", String.class, userId)).isEqualTo(owner);
    }

    @Test
    void anUndoLinkWorksOnce() {
        String owner = TestUsers.uniqueEmail("undo-once");
        String newEmail = TestUsers.uniqueEmail("undo-once-new");
        UUID userId = createUser(owner, PASSWORD);
        AccountPages.changeEmail(AccountPages.signedIn(owner, PASSWORD), newEmail, PASSWORD, 1);
        String undoLink = AccountPages.link(owner, 1, "/undo-email-change");
        Browser.Response undone = undo(undoLink);
        assertThat(undone.body()).contains("id=\"reset-password\"");

        // the owner chooses a new password on the page the undo ended on, then moves again; a replayed undo link
        // must not move the account back
        assertThat(AccountPages.resetPassword(AccountPages.formToken(undone), "the owner's next passphrase").body())
                .contains("id=\"password-reset-done\"");
        AccountPages.changeEmail(AccountPages.signedIn(owner, "the owner's next passphrase"), newEmail,
                "the owner's next passphrase", 2);

        Browser replay = new Browser();
        Browser.Response page = replay.get(undoLink);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"undo-link-invalid\"").doesNotContain("Exception");
        Browser.Response replayed = undo(undoLink);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body()).contains("id=\"undo-link-invalid\"");
        assertThat(emailOf(userId)).isEqualTo(newEmail);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'EMAIL_CHANGE_UNDONE' "
                + "AND user_id = ?", Integer.class, userId)).isEqualTo(1);
    }

    @Test
    void anExpiredOrTamperedUndoLinkIsRefused() {
        String owner = TestUsers.uniqueEmail("undo-expired");
        String newEmail = TestUsers.uniqueEmail("undo-expired-new");
        UUID userId = createUser(owner, PASSWORD);
        AccountPages.changeEmail(AccountPages.signedIn(owner, PASSWORD), newEmail, PASSWORD, 1);
        String undoLink = AccountPages.link(owner, 1, "/undo-email-change");
        for (String tampered : List.of(undoLink + "x", ISSUER + "/undo-email-change?token=%27%20OR%201%3D1%20--",
                ISSUER + "/undo-email-change")) {
            assertThat(new Browser().get(tampered).body()).as(tampered).contains("id=\"undo-link-invalid\"");
        }

        jdbc.update("UPDATE account_links SET expires_at = ? WHERE user_id = ? AND purpose = 'UNDO_EMAIL_CHANGE'",
                Timestamp.from(Instant.now().minusSeconds(1)), userId);
        assertThat(new Browser().get(undoLink).body()).contains("id=\"undo-link-invalid\"");
        assertThat(undo(undoLink).body()).contains("id=\"undo-link-invalid\"");
        assertThat(emailOf(userId)).isEqualTo(newEmail);
        assertThat(new Browser().signIn(newEmail, PASSWORD).location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void undoingAChangeEndsTheUndoLinksOfLaterChangesButNotOfEarlierOnes() {
        // owner → second → third: the second address's link restores it, the owner's restores the owner's
        String first = TestUsers.uniqueEmail("undo-first");
        String second = TestUsers.uniqueEmail("undo-second");
        String third = TestUsers.uniqueEmail("undo-third");
        UUID userId = createUser(first, PASSWORD);
        Browser browser = AccountPages.signedIn(first, PASSWORD);
        AccountPages.changeEmail(browser, second, PASSWORD, 1);
        AccountPages.changeEmail(browser, third, PASSWORD, 1);
        String undoToFirst = AccountPages.link(first, 1, "/undo-email-change");
        String undoToSecond = AccountPages.link(second, 2, "/undo-email-change");

        // a hijacker holding the later link cannot take away the owner's earlier one ...
        assertThat(undo(undoToSecond).body()).contains("id=\"email-restored\"");
        assertThat(emailOf(userId)).isEqualTo(second);
        assertThat(undo(undoToFirst).body()).contains("id=\"email-restored\"");
        assertThat(emailOf(userId)).isEqualTo(first);

        // ... and once the owner has undone the first change, the later links are dead
        String fourth = TestUsers.uniqueEmail("undo-fourth");
        String fifth = TestUsers.uniqueEmail("undo-fifth");
        String sixth = TestUsers.uniqueEmail("undo-sixth");
        UUID otherId = createUser(fourth, PASSWORD);
        Browser other = AccountPages.signedIn(fourth, PASSWORD);
        AccountPages.changeEmail(other, fifth, PASSWORD, 1);
        AccountPages.changeEmail(other, sixth, PASSWORD, 1);
        assertThat(undo(AccountPages.link(fourth, 1, "/undo-email-change")).body()).contains("id=\"email-restored\"");
        assertThat(undo(AccountPages.link(fifth, 2, "/undo-email-change")).body())
                .contains("id=\"undo-link-invalid\"");
        assertThat(emailOf(otherId)).isEqualTo(fourth);
    }

    @Test
    void theOldAddressIsKeptForItsAccountWhileTheUndoLinkWorks() {
        String owner = TestUsers.uniqueEmail("undo-kept");
        String hijacker = TestUsers.uniqueEmail("undo-kept-hijacker");
        UUID userId = createUser(owner, PASSWORD);
        AccountPages.changeEmail(AccountPages.signedIn(owner, PASSWORD), hijacker, PASSWORD, 1);

        // registering the freed address, or moving another account to it, looks accepted and does nothing
        Browser registration = new Browser();
        Browser.Response form = registration.get("/register");
        assertThat(registration.postForm("/register", Map.of("email", owner.toUpperCase(java.util.Locale.ROOT),
                "password", "squatter passphrase 1", "confirmPassword", "squatter passphrase 1",
                "_csrf", form.csrf())).body()).contains("Check your email");
        String squatter = TestUsers.uniqueEmail("undo-kept-squatter");
        UUID squatterId = createUser(squatter, PASSWORD);
        AccountPages.requestEmailChange(AccountPages.signedIn(squatter, PASSWORD), owner, PASSWORD);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE email_normalized = ?", Integer.class, owner))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account_links WHERE user_id = ? AND purpose = 'CHANGE_EMAIL'",
                Integer.class, squatterId)).isZero();

        assertThat(undo(AccountPages.link(owner, 1, "/undo-email-change")).body()).contains("id=\"email-restored\"");
        assertThat(emailOf(userId)).isEqualTo(owner);
    }

    /** Opens an undo link and presses its button (also when the page offers none). */
    private static Browser.Response undo(String undoLink) {
        Browser browser = new Browser();
        Browser.Response page = browser.get(undoLink);
        Browser.Response anyForm = page.body().contains("name=\"_csrf\"") ? page : browser.get("/forgot-password");
        return browser.postForm("/undo-email-change", Map.of("token", AccountPages.token(undoLink),
                "_csrf", anyForm.csrf()));
    }

    private static Map<String, String> tokens(Browser.Response tokenResponse) {
        assertThat(tokenResponse.status()).as(tokenResponse.body()).isEqualTo(200);
        return Map.of("access_token", OAuth.json(tokenResponse).get("access_token").asString(),
                "refresh_token", OAuth.json(tokenResponse).get("refresh_token").asString());
    }

    private static int userInfo(String accessToken) {
        return new Browser().get("/userinfo", "Authorization", "Bearer " + accessToken).status();
    }

    private String emailOf(UUID userId) {
        return jdbc.queryForObject("SELECT email FROM users WHERE id = ?", String.class, userId);
    }
}
