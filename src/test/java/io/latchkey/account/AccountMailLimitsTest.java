package io.latchkey.account;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.ratelimit.RateLimitProperties;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_MAIL_REQUESTS_PER_IP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits on account mail sit in the service that sends it, so the hosted pages and the API share them; a
 * password reset, a new verification link and a registration each have buckets of their own, per address and per
 * client IP; and no number of requests keeps an owner from getting a working reset link.
 */
@IntegrationTest
class AccountMailLimitsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "mail limits passphrase 3";

    @Autowired
    RateLimitProperties properties;

    private final Browser browser = new Browser();

    @Test
    void theHostedPagesAndTheApiShareOneLimitPerAddressAndEachKindOfMailHasItsOwn() {
        String email = TestUsers.uniqueEmail("kinds");
        int perAddress = properties.mailRequestsPerAddress();
        for (int i = 0; i < perAddress; i++) {
            int status = i % 2 == 0 ? hosted("/verify-email/resend", email, null).status()
                    : api("/api/v1/auth/resend-verification", email, null).status();
            assertThat(status).as("request %d", i + 1).isIn(200, 202);
        }
        Browser.Response overApi = api("/api/v1/auth/resend-verification", email, null);
        assertThat(overApi.status()).isEqualTo(429);
        assertThat(overApi.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(overApi.header("Retry-After"))).isPositive();
        Browser.Response overHosted = hosted("/verify-email/resend", email.toUpperCase(java.util.Locale.ROOT), null);
        assertThat(overHosted.status()).isEqualTo(429);
        assertThat(overHosted.body()).contains("id=\"too-many-requests\"");

        // a reset and a registration for the same address are counted apart
        assertThat(api("/api/v1/auth/password-reset/request", email, null).status()).isEqualTo(202);
        assertThat(hosted("/forgot-password", email, null).status()).isEqualTo(200);
        assertThat(api("/api/v1/auth/register", email, null).status()).isEqualTo(202);
        TestMailbox.awaitMessage(email, 1); // the registration's verification mail
    }

    @Test
    void eachKindOfMailHasItsOwnLimitPerClientIp() {
        String ip = "2001:db8:" + Integer.toHexString((int) (Math.random() * 0xffff)) + "::7";
        for (int i = 0; i < RATE_LIMIT_MAIL_REQUESTS_PER_IP; i++) {
            assertThat(api("/api/v1/auth/password-reset/request", TestUsers.uniqueEmail("ip"), ip).status())
                    .isEqualTo(202);
        }
        assertThat(api("/api/v1/auth/password-reset/request", TestUsers.uniqueEmail("ip"), ip).status()).isEqualTo(429);
        assertThat(hosted("/forgot-password", TestUsers.uniqueEmail("ip"), ip).status()).isEqualTo(429);

        assertThat(api("/api/v1/auth/resend-verification", TestUsers.uniqueEmail("ip"), ip).status()).isEqualTo(202);
        assertThat(hosted("/register", TestUsers.uniqueEmail("ip"), ip).body()).contains("id=\"check-email\"");
    }

    @Test
    void theOwnerAlwaysHoldsAWorkingResetLinkHoweverManyAreAskedFor() {
        String email = TestUsers.uniqueEmail("bombed");
        UUID id = createUser(email, PASSWORD);
        int perAddress = properties.mailRequestsPerAddress();
        for (int i = 0; i < perAddress; i++) {
            assertThat(api("/api/v1/auth/password-reset/request", email, "198.18.1." + (i + 1)).status())
                    .isEqualTo(202);
        }
        String newest = resetToken(TestMailbox.awaitMessage(email, perAddress));

        // over the address's limit: the same answer as always, and no new mail while the newest link works
        for (int i = 0; i < 3 * perAddress; i++) {
            String ip = "198.18.2." + (i + 1);
            Browser.Response answer = i % 2 == 0 ? api("/api/v1/auth/password-reset/request", email, ip)
                    : hosted("/forgot-password", email, ip);
            assertThat(answer.status()).isIn(200, 202);
        }
        assertThat(browser.get("/reset-password?token=" + newest).body()).contains("name=\"password\"");

        // once no link works any more (this one expired), the owner's next request mails a new one at once
        jdbc.update("UPDATE account_links SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE "
                + "WHERE user_id = ? AND purpose = 'RESET_PASSWORD'", id);
        assertThat(hosted("/forgot-password", email, "198.18.3.1").status()).isEqualTo(200);
        MimeMessage fresh = TestMailbox.awaitMessage(email, perAddress + 1);
        assertThat(TestMailbox.messagesTo(email)).as("the requests in between sent nothing").hasSize(perAddress + 1);
        String token = resetToken(fresh);
        Browser.Response reset = browser.send(HttpRequest.newBuilder(
                        browser.resolve("/api/v1/auth/password-reset/confirm"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token
                        + "\",\"password\":\"the owner's new passphrase\"}"))
                .build());
        assertThat(reset.status()).isEqualTo(204);
    }

    private Browser.Response hosted(String path, String email, String ip) {
        Browser.Response page = browser.get("/login");
        Map<String, String> form = Map.of("email", email, "password", PASSWORD, "confirmPassword", PASSWORD,
                "_csrf", page.csrf());
        return ip == null ? browser.postForm(path, form) : browser.postForm(path, form, "X-Forwarded-For", ip);
    }

    private Browser.Response api(String path, String email, String ip) {
        String body = path.endsWith("/register")
                ? "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}"
                : "{\"email\":\"" + email + "\"}";
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ip != null) {
            request.header("X-Forwarded-For", ip);
        }
        return browser.send(request.build());
    }

    private static String resetToken(MimeMessage mail) {
        return AccountPages.token(TestMailbox.link(mail, ISSUER + "/reset-password?token="));
    }
}
