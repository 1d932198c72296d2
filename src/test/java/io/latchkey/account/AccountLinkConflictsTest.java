package io.latchkey.account;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reset, verification and email-change links cannot be played against each other: whatever proves control
 * of the account or of its address ends the links that conflict with it.
 */
@IntegrationTest
class AccountLinkConflictsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "links conflict passphrase";

    @Test
    void aPasswordResetEndsAPendingEmailChange() {
        String email = TestUsers.uniqueEmail("reset-owner");
        String hijacker = TestUsers.uniqueEmail("reset-hijacker");
        UUID userId = createUser(email, PASSWORD);
        // someone who knows the password asks to move the account to their address ...
        AccountPages.requestEmailChange(AccountPages.signedIn(email, PASSWORD), hijacker, PASSWORD);
        String changeLink = AccountPages.link(hijacker, 1, "/verify-email");
        // ... and the owner resets the password before that link is used
        AccountPages.forgotPassword(email);
        String firstReset = AccountPages.link(email, 1, "/reset-password");
        AccountPages.forgotPassword(email);
        String secondReset = AccountPages.link(email, 2, "/reset-password");
        assertThat(AccountPages.resetPassword(AccountPages.token(secondReset), "owner's new passphrase 1").body())
                .contains("id=\"password-reset-done\"");

        assertThat(new Browser().get(changeLink).body()).contains("id=\"link-invalid\"");
        assertThat(AccountPages.confirm(changeLink).body()).contains("id=\"link-invalid\"");
        assertThat(AccountPages.resetPassword(AccountPages.token(firstReset), "someone else's passphrase").body())
                .contains("id=\"reset-link-invalid\"");
        assertThat(emailOf(userId)).isEqualTo(email);
        assertThat(new Browser().signIn(email, "owner's new passphrase 1").location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void aCompletedEmailChangeEndsTheResetLinkSentToTheOldAddress() {
        String email = TestUsers.uniqueEmail("moving");
        String newEmail = TestUsers.uniqueEmail("moved");
        UUID userId = createUser(email, PASSWORD);
        Browser owner = AccountPages.signedIn(email, PASSWORD);
        AccountPages.forgotPassword(email);
        String resetLink = AccountPages.link(email, 1, "/reset-password");

        AccountPages.changeEmail(owner, newEmail, PASSWORD, 1);

        assertThat(new Browser().get(resetLink).body()).contains("id=\"reset-link-invalid\"");
        assertThat(AccountPages.resetPassword(AccountPages.token(resetLink), "old mailbox passphrase 2").body())
                .contains("id=\"reset-link-invalid\"");
        assertThat(emailOf(userId)).isEqualTo(newEmail);
        assertThat(new Browser().signIn(newEmail, PASSWORD).location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void aCompletedEmailChangeEndsTheVerificationLinkSentToTheOldAddress() {
        // an account that still waits for its first address to be confirmed, changed before that happened
        String email = TestUsers.uniqueEmail("unconfirmed");
        String newEmail = TestUsers.uniqueEmail("confirmed-elsewhere");
        UUID userId = createUser(email, PASSWORD);
        Browser owner = AccountPages.signedIn(email, PASSWORD);
        jdbc.update("UPDATE users SET email_verified = FALSE WHERE id = ?", userId);
        Browser resend = new Browser();
        Browser.Response page = resend.get("/verify-email");
        resend.postForm("/verify-email/resend", java.util.Map.of("email", email, "_csrf", page.csrf()));
        String verifyOld = AccountPages.link(email, 1, "/verify-email");

        AccountPages.changeEmail(owner, newEmail, PASSWORD, 1);

        assertThat(AccountPages.confirm(verifyOld).body()).contains("id=\"link-invalid\"");
        assertThat(emailOf(userId)).isEqualTo(newEmail);
    }

    @Test
    void aPasswordChangeEndsAPendingEmailChange() {
        String email = TestUsers.uniqueEmail("change-owner");
        String hijacker = TestUsers.uniqueEmail("change-hijacker");
        UUID userId = createUser(email, PASSWORD);
        AccountPages.requestEmailChange(AccountPages.signedIn(email, PASSWORD), hijacker, PASSWORD);
        String changeLink = AccountPages.link(hijacker, 1, "/verify-email");

        Browser owner = AccountPages.signedIn(email, PASSWORD);
        Browser.Response page = owner.get("/account");
        assertThat(owner.postForm("/account/password", java.util.Map.of("currentPassword", PASSWORD,
                "newPassword", "owner changed passphrase", "confirmPassword", "owner changed passphrase",
                "_csrf", page.csrf())).location()).isEqualTo(ISSUER + "/account?saved=password");

        assertThat(AccountPages.confirm(changeLink).body()).contains("id=\"link-invalid\"");
        assertThat(emailOf(userId)).isEqualTo(email);
    }

    private String emailOf(UUID userId) {
        return jdbc.queryForObject("SELECT email FROM users WHERE id = ?", String.class, userId);
    }
}
