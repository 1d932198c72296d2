package io.latchkey.api;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.PASSWORD;
import static io.latchkey.api.ApiClient.fieldMessages;
import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * bcrypt reads at most 72 bytes of a password. A longer one (50 x é is 50 characters but 100 bytes) is a
 * clear validation error wherever a password is set, on the hosted pages and in the API, and never a 500;
 * at sign-in it is simply a wrong password, even when its first 72 bytes are the right one.
 */
@IntegrationTest
class PasswordByteLimitTest extends UsersInDatabaseTest {

    private static final String TOO_LONG = "\u00e9".repeat(50);
    private static final String MESSAGE = "The password is too long: at most 72 bytes, which is 72 plain letters, digits "
            + "and symbols, fewer with accented letters, other scripts or emoji.";

    private final ApiClient api = new ApiClient();

    @Test
    void registrationRefusesIt() {
        String email = TestUsers.uniqueEmail("bytes-register");
        JsonNode refused = problem(api.post("/api/v1/auth/register", null,
                "{\"email\":\"" + email + "\",\"password\":\"" + TOO_LONG + "\"}"), 400);
        assertThat(fieldMessages(refused, "password")).containsExactly(MESSAGE);

        Browser browser = new Browser();
        Browser.Response form = browser.get("/register");
        Browser.Response page = browser.postForm("/register", Map.of("email", email, "password", TOO_LONG,
                "confirmPassword", TOO_LONG, "name", "", "_csrf", form.csrf()));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(MESSAGE);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE email_normalized = ?", Integer.class, email))
                .isZero();
    }

    @Test
    void passwordResetRefusesIt() {
        ApiClient.User user = ApiClient.user(jdbc, passwordEncoder, "bytes-reset");
        String hash = hash(user);
        String token = resetToken(user, 1);
        JsonNode refused = problem(api.post("/api/v1/auth/password-reset/confirm", null,
                "{\"token\":\"" + token + "\",\"password\":\"" + TOO_LONG + "\"}"), 400);
        assertThat(fieldMessages(refused, "password")).containsExactly(MESSAGE);

        Browser browser = new Browser();
        Browser.Response form = browser.get("/reset-password?token=" + token);
        Browser.Response page = browser.postForm("/reset-password", Map.of("token", token, "password", TOO_LONG,
                "confirmPassword", TOO_LONG, "_csrf", form.csrf()));
        assertThat(page.body()).contains(MESSAGE);
        assertThat(hash(user)).isEqualTo(hash);
    }

    @Test
    void passwordChangeRefusesIt() {
        ApiClient.User user = ApiClient.user(jdbc, passwordEncoder, "bytes-change");
        String hash = hash(user);
        JsonNode refused = problem(api.post("/api/v1/users/me/password", ApiClient.token(user),
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + TOO_LONG + "\"}"), 400);
        assertThat(fieldMessages(refused, "newPassword")).containsExactly(MESSAGE);

        Browser browser = new Browser();
        browser.signIn(user.email(), PASSWORD);
        Browser.Response account = browser.get("/account");
        Browser.Response page = browser.postForm("/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", TOO_LONG, "confirmPassword", TOO_LONG, "_csrf", account.csrf()));
        assertThat(page.body()).contains(MESSAGE);
        assertThat(hash(user)).isEqualTo(hash);
    }

    @Test
    void signingInWithALongerPasswordFailsLikeAWrongOneEvenIfItStartsWithTheRightOne() {
        String longest = "\u00e9".repeat(36);
        String email = TestUsers.uniqueEmail("bytes-sign-in");
        createUser(email, longest);
        String longer = longest + "x";

        assertThat(new Browser().signIn(email, longer).location()).isEqualTo(ISSUER + "/login?error");
        JsonNode api = problem(this.api.post("/api/v1/auth/login", null,
                "{\"username\":\"" + email + "\",\"password\":\"" + longer + "\"}"), 400);
        assertThat(api.get("detail").asString()).isEqualTo(SignInController.INVALID_CREDENTIALS);
        Browser.Response grant = OAuth.post(new Browser(), "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", longer));
        assertThat(grant.status()).isEqualTo(400);
        assertThat(OAuth.json(grant).get("error").asString()).isEqualTo("invalid_grant");

        assertThat(new Browser().signIn(email, longest).location()).isEqualTo(ISSUER + "/");
    }

    private String hash(ApiClient.User user) {
        return jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, user.id());
    }

    private String resetToken(ApiClient.User user, int mails) {
        assertThat(api.post("/api/v1/auth/password-reset/request", null, "{\"email\":\"" + user.email() + "\"}").status())
                .isEqualTo(202);
        String link = TestMailbox.link(TestMailbox.awaitMessage(user.email(), mails), ISSUER + "/reset-password?token=");
        return link.substring(link.indexOf("token=") + 6);
    }
}
