package io.latchkey.account;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_ACCOUNT_FAILURES;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whoever holds a session or an access token must still not be able to guess the current password that a password
 * or email change asks for: each check is a sign-in attempt, limited per client IP and counted toward the lock.
 */
@IntegrationTest
class CurrentPasswordLimitTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "current password passphrase 1";
    private static final String WRONG_ANSWER = "The current password is not right.";

    @Test
    void wrongCurrentPasswordsInTheApiLockTheAccountAndThenEvenTheRightOneIsRefused() {
        String email = TestUsers.uniqueEmail("me-guess");
        UUID id = createUser(email, PASSWORD);
        String token = accessToken(email);
        for (int i = 0; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            Browser.Response wrong = changeInApi(token, "guess " + i, "a new passphrase for me", null);
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.body()).contains("currentPassword");
        }
        assertThat(isLocked(id)).isTrue();

        Browser.Response right = changeInApi(token, PASSWORD, "a new passphrase for me", null);
        assertThat(right.status()).isEqualTo(400);
        assertThat(right.body()).contains("currentPassword");
        assertThat(passwordEncoder.matches(PASSWORD, storedHash(id))).as("unchanged").isTrue();
    }

    @Test
    void currentPasswordChecksInTheApiAreLimitedPerClientIp() {
        String email = TestUsers.uniqueEmail("me-ip");
        createUser(email, PASSWORD);
        String token = accessToken(email);
        String ip = "2001:db8:" + Integer.toHexString((int) (Math.random() * 0xffff)) + "::9";
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            // the right current password, but a new one the policy refuses: checked, and nothing changes
            assertThat(changeInApi(token, PASSWORD, "short", ip).body()).contains("newPassword");
        }
        Browser.Response limited = changeInApi(token, PASSWORD, "a new passphrase for me", ip);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    }

    @Test
    void onTheAccountPageTheOwnersBrowserSpendsItsOwnBudgetFirstThenTheAccountLocks() {
        String email = TestUsers.uniqueEmail("page-guess");
        UUID id = createUser(email, PASSWORD);
        Browser browser = new Browser();
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");

        int deviceBudget = 5; // latchkey.rate-limit.trusted-device-failures
        for (int i = 0; i < deviceBudget; i++) {
            assertThat(changeOnPage(browser, "guess " + i).body()).contains(WRONG_ANSWER);
        }
        assertThat(isLocked(id)).as("a trusted device's failures count against that device").isFalse();
        for (int i = 0; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            assertThat(changeOnPage(browser, "more guesses " + i).body()).contains(WRONG_ANSWER);
        }
        assertThat(isLocked(id)).isTrue();
        assertThat(changeOnPage(browser, PASSWORD).body()).as("refused while locked").contains(WRONG_ANSWER);
        assertThat(passwordEncoder.matches(PASSWORD, storedHash(id))).as("unchanged").isTrue();
    }

    private static String accessToken(String email) {
        Browser.Response login = new Browser().send(HttpRequest.newBuilder(new Browser().resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email + "\",\"password\":\"" + PASSWORD
                        + "\"}"))
                .build());
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return OAuth.json(login).get("access_token").asString();
    }

    private static Browser.Response changeInApi(String token, String current, String next, String ip) {
        HttpRequest.Builder request = HttpRequest.newBuilder(new Browser().resolve("/api/v1/users/me/password"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"currentPassword\":\"" + current + "\",\"newPassword\":\""
                        + next + "\"}"));
        if (ip != null) {
            request.header("X-Forwarded-For", ip);
        }
        return new Browser().send(request.build());
    }

    private static Browser.Response changeOnPage(Browser browser, String current) {
        Browser.Response page = browser.get("/account");
        return browser.postForm("/account/password", Map.of("currentPassword", current, "newPassword",
                "a new page passphrase", "confirmPassword", "a new page passphrase", "_csrf", page.csrf()));
    }

    private boolean isLocked(UUID id) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT locked_until IS NOT NULL AND locked_until > CURRENT_TIMESTAMP FROM users WHERE id = ?",
                Boolean.class, id));
    }

    private String storedHash(UUID id) {
        return jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, id);
    }
}
