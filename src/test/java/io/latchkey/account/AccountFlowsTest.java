package io.latchkey.account;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** Registration, verification, password reset and account changes over HTTP, with mail over real SMTP. */
@IntegrationTest
class AccountFlowsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "a long and unusual passphrase";

    private final Browser browser = new Browser();

    @Test
    void registerVerifyThenSignIn() {
        String email = TestUsers.uniqueEmail("register");
        Browser.Response registered = register(email, PASSWORD, PASSWORD, "New User");
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.body()).contains("Check your email");
        assertThat(users(email)).isEqualTo(1);

        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?unverified");

        String link = AccountPages.link(email, 1, "/verify-email");
        Browser.Response confirmPage = browser.get(link);
        assertThat(confirmPage.body()).contains("id=\"confirm-email\"");
        assertThat(jdbc.queryForObject("SELECT email_verified FROM users WHERE email_normalized = ?", Boolean.class,
                email)).isFalse();
        String token = AccountPages.token(link);
        Browser.Response verified = browser.postForm("/verify-email", Map.of("token", token, "_csrf", confirmPage.csrf()));
        assertThat(verified.body()).contains("id=\"email-verified\"");

        Browser.Response again = browser.postForm("/verify-email", Map.of("token", token, "_csrf", confirmPage.csrf()));
        assertThat(again.body()).contains("id=\"link-invalid\"");

        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void registrationRejectsBadInputNextToTheFieldAndWritesNothing() {
        String email = TestUsers.uniqueEmail("bad");
        Map<String, List<String>> cases = Map.of(
                "The passwords do not match.", List.of(email, PASSWORD, PASSWORD + "x", ""),
                "The password is too short.", List.of(email, "short", "short", ""),
                "This password is too common.", List.of(email, "password12345", "password12345", ""),
                "must not be your email address", List.of(email, email, email, ""),
                "Enter a valid email address.", List.of("not-an-email", PASSWORD, PASSWORD, ""),
                "This email address is too long.", List.of("x".repeat(10_000) + "@example.com", PASSWORD, PASSWORD, ""),
                "The password is too long", List.of(email, "p".repeat(10_000), "p".repeat(10_000), ""),
                "The name is too long.", List.of(email, PASSWORD, PASSWORD, "n".repeat(10_000)),
                "The name contains characters that are not allowed.", List.of(email, PASSWORD, PASSWORD, "Eve\u0000"));
        cases.forEach((message, fields) -> {
            Browser.Response response = register(fields.get(0), fields.get(1), fields.get(2), fields.get(3));
            assertThat(response.status()).as(message).isEqualTo(200);
            assertThat(response.body()).as(message).contains(message).contains("class=\"field-error\"")
                    .doesNotContain(PASSWORD);
        });
        assertThat(users(email)).isZero();

        Browser.Response kept = register(email, "short", "short", "Kept Name");
        assertThat(kept.body()).contains("value=\"" + email + "\"").contains("value=\"Kept Name\"");
    }

    @Test
    void anEmptyRegistrationReportsEveryFieldInOneRound() {
        Browser.Response empty = register("", "", "", "");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).contains("class=\"error-summary\"").contains("role=\"alert\"")
                .contains("href=\"#email\"").contains("href=\"#password\"").contains("href=\"#confirmPassword\"")
                .contains("Enter your email address.").contains("Enter a password.").contains("Repeat the password.")
                .contains("id=\"email-error\"").contains("id=\"password-error\"").contains("id=\"confirmPassword-error\"")
                .containsPattern("id=\"email\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"email-error\"")
                .containsPattern("id=\"password\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"password-hint password-error\"")
                .containsPattern("id=\"confirmPassword\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"confirmPassword-error\"")
                .doesNotContain("href=\"#name\"");

        String email = TestUsers.uniqueEmail("all-at-once");
        Browser.Response bad = register(email, "short", "other", "n".repeat(201));
        assertThat(bad.body()).contains("The password is too short.").contains("The passwords do not match.")
                .contains("The name is too long.").contains("value=\"" + email + "\"").doesNotContain("value=\"short\"");
        assertThat(users(email)).isZero();
    }

    @Test
    void aPasswordChangeWithThreeMistakesNamesAllThree() {
        String email = TestUsers.uniqueEmail("three");
        createUser(email, PASSWORD);
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/account");
        Browser.Response three = browser.postForm("/account/password", Map.of("currentPassword", "wrong",
                "newPassword", "short", "confirmPassword", "shorter", "_csrf", page.csrf()));
        assertThat(three.status()).isEqualTo(200);
        assertThat(three.body()).contains("The current password is not right.").contains("The password is too short.")
                .contains("The passwords do not match.").contains("href=\"#currentPassword\"")
                .contains("href=\"#newPassword\"").contains("href=\"#confirmNewPassword\"");
        Browser.Response email2 = browser.postForm("/account/email", Map.of("newEmail", "", "currentPassword", "",
                "_csrf", page.csrf()));
        assertThat(email2.body()).contains("Enter your email address.").contains("Enter your current password.")
                .contains("href=\"#newEmail\"").contains("href=\"#emailCurrentPassword\"");
        assertThat(new Browser().signIn(email, PASSWORD).location()).as("unchanged").isEqualTo(ISSUER + "/");
    }

    @Test
    void registrationAcceptsUnicodeNamesAndEscapesMarkup() {
        String email = TestUsers.uniqueEmail("unicode");
        assertThat(register(email, PASSWORD, PASSWORD, "Zoë <b>Ünïcødé</b> \u2603").body()).contains("Check your email");
        assertThat(jdbc.queryForObject("SELECT name FROM users WHERE email_normalized = ?", String.class, email))
                .isEqualTo("Zoë <b>Ünïcødé</b> \u2603");
    }

    @Test
    void registeringAnExistingEmailLooksTheSameAndChangesNothing() {
        String email = TestUsers.uniqueEmail("exists");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Owner");
        Browser.Response response = register(email.toUpperCase(java.util.Locale.ROOT), "another long passphrase!",
                "another long passphrase!", "Intruder");
        assertThat(response.body()).contains("Check your email");
        assertThat(users(email)).isEqualTo(1);
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void registrationWithoutCsrfTokenIsRefused() {
        String email = TestUsers.uniqueEmail("csrf");
        browser.get("/register");
        Browser.Response response = browser.postForm("/register", Map.of("email", email, "password", PASSWORD,
                "confirmPassword", PASSWORD));
        assertThat(response.status()).isEqualTo(403);
        assertThat(users(email)).isZero();
    }

    @Test
    void forgotPasswordAnswersIdenticallyForKnownAndUnknownEmails() {
        String known = TestUsers.uniqueEmail("known");
        createUser(known, PASSWORD);
        Browser.Response forKnown = forgot(known);
        Browser.Response forUnknown = forgot(TestUsers.uniqueEmail("unknown"));
        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(200);
        assertThat(withoutCsrf(forKnown.body())).isEqualTo(withoutCsrf(forUnknown.body()));
        assertThat(TestMailbox.awaitMessage(known, 1)).isNotNull();
    }

    @Test
    void resetPasswordThenOldFailsNewWorksAndTheLinkIsSingleUse() {
        String email = TestUsers.uniqueEmail("reset");
        createUser(email, PASSWORD);
        forgot(email);
        String link = AccountPages.link(email, 1, "/reset-password");
        String token = AccountPages.token(link);

        Browser.Response form = browser.get(link);
        assertThat(form.body()).contains("id=\"reset-password\"");
        Browser.Response mismatch = browser.postForm("/reset-password", Map.of("token", token, "password",
                "brand new passphrase 1", "confirmPassword", "other", "_csrf", form.csrf()));
        assertThat(mismatch.body()).contains("The passwords do not match.");
        Browser.Response weak = browser.postForm("/reset-password", Map.of("token", token, "password", "password12345",
                "confirmPassword", "password12345", "_csrf", form.csrf()));
        assertThat(weak.body()).contains("This password is too common.");

        Browser.Response done = browser.postForm("/reset-password", Map.of("token", token, "password",
                "brand new passphrase 1", "confirmPassword", "brand new passphrase 1", "_csrf", form.csrf()));
        assertThat(done.body()).contains("id=\"password-reset-done\"");

        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
        assertThat(new Browser().signIn(email, "brand new passphrase 1").location()).isEqualTo(ISSUER + "/");
        assertThat(browser.get(link).body()).contains("id=\"reset-link-invalid\"");
        Browser.Response reuse = browser.postForm("/reset-password", Map.of("token", token, "password",
                "yet another passphrase 2", "confirmPassword", "yet another passphrase 2", "_csrf", form.csrf()));
        assertThat(reuse.body()).contains("id=\"reset-link-invalid\"");
    }

    @Test
    void tamperedAndExpiredLinksAreRefused() {
        String email = TestUsers.uniqueEmail("expired");
        createUser(email, PASSWORD);
        forgot(email);
        String link = AccountPages.link(email, 1, "/reset-password");
        for (String tampered : List.of(link + "x", link.substring(0, link.length() - 2), link + "%00",
                ISSUER + "/reset-password?token=%27%20OR%201%3D1%20--", ISSUER + "/reset-password?token=" + "a".repeat(5000),
                ISSUER + "/reset-password")) {
            assertThat(browser.get(tampered).body()).as(tampered).contains("id=\"reset-link-invalid\"");
        }
        jdbc.update("UPDATE account_links SET expires_at = ? WHERE user_id = (SELECT id FROM users WHERE email_normalized = ?)",
                Timestamp.from(Instant.now().minusSeconds(1)), email);
        assertThat(browser.get(link).body()).contains("id=\"reset-link-invalid\"");
        for (String tampered : List.of(ISSUER + "/verify-email?token=nope", ISSUER + "/verify-email")) {
            assertThat(browser.get(tampered).body()).contains("id=\"link-invalid\"");
        }
    }

    @Test
    void changePasswordNeedsTheCurrentOne() {
        String email = TestUsers.uniqueEmail("change");
        createUser(email, PASSWORD);
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/account");
        Browser.Response wrong = browser.postForm("/account/password", Map.of("currentPassword", "wrong",
                "newPassword", "changed passphrase 3", "confirmPassword", "changed passphrase 3", "_csrf", page.csrf()));
        assertThat(wrong.body()).contains("The current password is not right.");
        Browser.Response changed = browser.postForm("/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", "changed passphrase 3", "confirmPassword", "changed passphrase 3", "_csrf", page.csrf()));
        assertThat(changed.location()).isEqualTo(ISSUER + "/account?saved=password");
        assertThat(new Browser().signIn(email, "changed passphrase 3").location()).isEqualTo(ISSUER + "/");
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
    }

    @Test
    void changeEmailVerifiesTheNewAddressAndNotifiesTheOld() {
        String email = TestUsers.uniqueEmail("old");
        String newEmail = TestUsers.uniqueEmail("new");
        createUser(email, PASSWORD);
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/account");
        Browser.Response requested = browser.postForm("/account/email", Map.of("newEmail", newEmail,
                "currentPassword", PASSWORD, "_csrf", page.csrf()));
        assertThat(requested.location()).isEqualTo(ISSUER + "/account?saved=email");
        assertThat(users(email)).isEqualTo(1);

        String link = AccountPages.link(newEmail, 1, "/verify-email");
        Browser.Response confirm = browser.get(link);
        browser.postForm("/verify-email", Map.of("token", AccountPages.token(link),
                "_csrf", confirm.csrf()));
        assertThat(users(newEmail)).isEqualTo(1);
        assertThat(users(email)).isZero();
        MimeMessage notice = TestMailbox.awaitMessage(email, 1);
        assertThat(TestMailbox.recipients(notice)).containsExactly(email);
        assertThat(new Browser().signIn(newEmail, PASSWORD).location()).isEqualTo(ISSUER + "/");
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
    }

    @Test
    void everyAccountFormRefusesAMissingOrForgedCsrfToken() {
        String email = TestUsers.uniqueEmail("csrf-all");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Original");
        browser.signIn(email, PASSWORD);
        Map<String, Map<String, String>> forms = Map.of(
                "/account/profile", Map.of("name", "Changed"),
                "/account/password", Map.of("currentPassword", PASSWORD, "newPassword", "csrf changed passphrase",
                        "confirmPassword", "csrf changed passphrase"),
                "/account/email", Map.of("newEmail", "csrf-" + email, "currentPassword", PASSWORD),
                "/account/apps/revoke", Map.of("clientId", "confidential-app"),
                "/forgot-password", Map.of("email", email),
                "/verify-email/resend", Map.of("email", email),
                "/reset-password", Map.of("token", "x", "password", "a", "confirmPassword", "a"),
                "/verify-email", Map.of("token", "x"));
        forms.forEach((path, form) -> {
            assertThat(browser.postForm(path, form).status()).as(path + " without token").isEqualTo(403);
            Map<String, String> forged = new java.util.HashMap<>(form);
            forged.put("_csrf", "forged");
            assertThat(browser.postForm(path, forged).status()).as(path + " with forged token").isEqualTo(403);
        });
        assertThat(jdbc.queryForObject("SELECT name FROM users WHERE email_normalized = ?", String.class, email))
                .isEqualTo("Original");
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account_links WHERE user_id = "
                + "(SELECT id FROM users WHERE email_normalized = ?)", Integer.class, email)).isZero();
    }

    @Test
    void passwordResetEndsOtherSessionsAndRevokesRefreshTokens() {
        String email = TestUsers.uniqueEmail("reset-revoke");
        createUser(email, PASSWORD);
        Browser otherDevice = new Browser();
        otherDevice.signIn(email, PASSWORD);
        assertThat(otherDevice.get("/account").status()).isEqualTo(200);
        String verifier = io.latchkey.support.OAuth.randomVerifier();
        Browser app = new Browser();
        Browser.Response callback = io.latchkey.support.CodeFlow.run(app, io.latchkey.support.CodeFlow.authorizeUrl(
                io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT, io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT,
                "openid", "s", verifier), email, PASSWORD);
        String refreshToken = io.latchkey.support.OAuth.json(io.latchkey.support.OAuth.post(app, "/oauth2/token",
                io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT, io.latchkey.support.TestServerInitializer.TRUSTED_SECRET,
                io.latchkey.support.OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT,
                        "code_verifier", verifier))).get("refresh_token").asString();

        forgot(email);
        String link = AccountPages.link(email, 1, "/reset-password");
        Browser.Response form = browser.get(link);
        browser.postForm("/reset-password", Map.of("token", AccountPages.token(link),
                "password", "after reset passphrase", "confirmPassword", "after reset passphrase", "_csrf", form.csrf()));

        assertThat(otherDevice.get("/account").location()).startsWith(ISSUER + "/login");
        Browser.Response refresh = io.latchkey.support.OAuth.post(app, "/oauth2/token",
                io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT, io.latchkey.support.TestServerInitializer.TRUSTED_SECRET,
                io.latchkey.support.OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'PASSWORD_RESET_COMPLETED' AND user_id = "
                + "(SELECT id FROM users WHERE email_normalized = ?)", Integer.class, email)).isEqualTo(1);
    }

    private Browser.Response register(String email, String password, String confirm, String name) {
        Browser.Response form = browser.get("/register");
        List<Map.Entry<String, String>> fields = new ArrayList<>(List.of(Map.entry("email", email),
                Map.entry("password", password), Map.entry("confirmPassword", confirm), Map.entry("name", name),
                Map.entry("_csrf", form.csrf())));
        return browser.postForm("/register", fields);
    }

    private Browser.Response forgot(String email) {
        Browser.Response form = browser.get("/forgot-password");
        return browser.postForm("/forgot-password", Map.of("email", email, "_csrf", form.csrf()));
    }

    private int users(String email) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE email_normalized = ?", Integer.class,
                email.toLowerCase(java.util.Locale.ROOT));
    }

    private static String withoutCsrf(String body) {
        return body.replaceAll("name=\"_csrf\"\\s+value=\"[^\"]+\"", "");
    }
}
