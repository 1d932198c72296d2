package io.latchkey.api;

import java.net.http.HttpRequest;

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
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** The public /api/v1/auth endpoints: registration, verification, password reset, with mail over real SMTP. */
@IntegrationTest
class AuthApiTest extends UsersInDatabaseTest {

    private final ApiClient api = new ApiClient();

    @Test
    void registerVerifyAndSignIn() {
        String email = TestUsers.uniqueEmail("api-register");
        Browser.Response registered = api.post("/api/v1/auth/register", null,
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Api User\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(202);
        assertThat(registered.header("Set-Cookie")).isNull();
        assertThat(jdbc.queryForObject("SELECT email_verified FROM users WHERE email_normalized = ?", Boolean.class, email))
                .isFalse();

        String link = TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/verify-email?token=");
        String token = link.substring(link.indexOf("token=") + 6);
        Browser.Response verified = api.post("/api/v1/auth/verify-email", null, "{\"token\":\"" + token + "\"}");
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(OAuth.json(verified).get("emailVerified").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT email_verified FROM users WHERE email_normalized = ?", Boolean.class, email))
                .isTrue();

        JsonNode again = problem(api.post("/api/v1/auth/verify-email", null, "{\"token\":\"" + token + "\"}"), 400);
        assertThat(fieldMessages(again, "token")).containsExactly("This link is invalid, has expired or was used already.");
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void registeringATakenEmailAnswersTheSameAndChangesNothing() {
        ApiClient.User taken = ApiClient.user(jdbc, passwordEncoder, "taken");
        String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, taken.id());
        Browser.Response response = api.post("/api/v1/auth/register", null,
                "{\"email\":\"" + taken.email().toUpperCase() + "\",\"password\":\"another long passphrase\"}");
        assertThat(response.status()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, taken.id())).isEqualTo(hash);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE email_normalized = ?", Integer.class,
                taken.email())).isEqualTo(1);
    }

    @Test
    void registrationReportsEachInvalidFieldAndWritesNothing() {
        String email = TestUsers.uniqueEmail("api-bad");
        assertField("{\"email\":\"" + email + "\",\"password\":\"short\"}", "password", "The password is too short.");
        assertField("{\"email\":\"" + email + "\"}", "password", "Enter a password.");
        assertField("{\"email\":\"" + email + "\",\"password\":\"password12345\"}", "password",
                "This password is too common. Choose one that is harder to guess.");
        assertField("{\"email\":\"" + email + "\",\"password\":\"" + email + "\"}", "password",
                "The password must not be your email address.");
        assertField("{\"email\":\"not-an-email\",\"password\":\"" + PASSWORD + "\"}", "email", "Enter a valid email address.");
        assertField("{\"password\":\"" + PASSWORD + "\"}", "email", "Enter your email address.");
        assertField("{\"email\":\"" + "x".repeat(300) + "@example.com\",\"password\":\"" + PASSWORD + "\"}", "email",
                "This email address is too long.");
        assertField("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"" + "n".repeat(201) + "\"}",
                "name", "The name is too long.");
        assertField("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Eve\\u0000\"}", "name",
                "The name contains characters that are not allowed.");
        assertField("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\\u0000x\"}", "password",
                "The password contains characters that are not allowed.");
        assertField("{\"email\":[\"" + email + "\"],\"password\":\"" + PASSWORD + "\"}", "email", "This value is not valid.");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE email_normalized = ?", Integer.class, email)).isZero();

        // in the request's language
        Browser.Response german = api.send(HttpRequest.newBuilder(api.resolve("/api/v1/auth/register"))
                .header("Content-Type", "application/json").header("Accept-Language", "de")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"short\"}")).build());
        assertThat(fieldMessages(problem(german, 400), "password")).containsExactly("Das Passwort ist zu kurz.");
    }

    @Test
    void resendAndResetRequestsAnswer202WhetherOrNotTheAddressHasAnAccount() {
        String nobody = TestUsers.uniqueEmail("nobody");
        assertThat(api.post("/api/v1/auth/resend-verification", null, "{\"email\":\"" + nobody + "\"}").status()).isEqualTo(202);
        assertThat(api.post("/api/v1/auth/password-reset/request", null, "{\"email\":\"" + nobody + "\"}").status())
                .isEqualTo(202);
        problem(api.post("/api/v1/auth/password-reset/request", null, "{\"email\":\"nope\"}"), 400);
        problem(api.post("/api/v1/auth/resend-verification", null, "{}"), 400);

        String email = TestUsers.uniqueEmail("api-resend");
        assertThat(api.post("/api/v1/auth/register", null,
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(202);
        TestMailbox.awaitMessage(email, 1);
        assertThat(api.post("/api/v1/auth/resend-verification", null, "{\"email\":\"" + email + "\"}").status()).isEqualTo(202);
        String link = TestMailbox.link(TestMailbox.awaitMessage(email, 2), ISSUER + "/verify-email?token=");
        assertThat(link).contains("token=");
        assertThat(TestMailbox.messagesTo(nobody)).isEmpty();
    }

    @Test
    void passwordResetConfirmSetsTheNewPasswordOnce() {
        ApiClient.User user = ApiClient.user(jdbc, passwordEncoder, "api-reset");
        assertThat(api.post("/api/v1/auth/password-reset/request", null, "{\"email\":\"" + user.email() + "\"}").status())
                .isEqualTo(202);
        String link = TestMailbox.link(TestMailbox.awaitMessage(user.email(), 1), ISSUER + "/reset-password?token=");
        String token = link.substring(link.indexOf("token=") + 6);
        String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, user.id());

        JsonNode tooShort = problem(api.post("/api/v1/auth/password-reset/confirm", null,
                "{\"token\":\"" + token + "\",\"password\":\"short\"}"), 400);
        assertThat(fieldMessages(tooShort, "password")).containsExactly("The password is too short.");
        JsonNode noToken = problem(api.post("/api/v1/auth/password-reset/confirm", null, "{\"password\":\"x\"}"), 400);
        assertThat(fieldMessages(noToken, "token")).containsExactly("This field is required.");
        JsonNode badToken = problem(api.post("/api/v1/auth/password-reset/confirm", null,
                "{\"token\":\"' OR 1=1 --\",\"password\":\"the new long passphrase\"}"), 400);
        assertThat(fieldMessages(badToken, "token")).containsExactly("This link is invalid, has expired or was used already.");
        assertThat(jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, user.id())).isEqualTo(hash);

        Browser.Response done = api.post("/api/v1/auth/password-reset/confirm", null,
                "{\"token\":\"" + token + "\",\"password\":\"the new long passphrase\"}");
        assertThat(done.status()).as(done.body()).isEqualTo(204);
        assertThat(passwordEncoder.matches("the new long passphrase",
                jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, user.id()))).isTrue();
        problem(api.post("/api/v1/auth/password-reset/confirm", null,
                "{\"token\":\"" + token + "\",\"password\":\"yet another long passphrase\"}"), 400);
    }

    @Test
    void aUserWhoMustReplaceTheirPasswordGetsNoTokensUntilTheyHave() {
        String email = TestUsers.uniqueEmail("api-must-change");
        java.util.UUID id = createUser(email, PASSWORD);
        jdbc.update("UPDATE users SET password_change_required = TRUE WHERE id = ?", id);
        String body = "{\"username\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
        JsonNode refused = problem(api.post("/api/v1/auth/login", null, body), 400);
        assertThat(refused.get("detail").asString()).startsWith("password change required");

        jdbc.update("UPDATE users SET password_change_required = FALSE WHERE id = ?", id);
        assertThat(api.post("/api/v1/auth/login", null, body).status()).isEqualTo(200);
    }

    private void assertField(String body, String field, String message) {
        JsonNode problem = problem(api.post("/api/v1/auth/register", null, body), 400);
        assertThat(problem.get("type").asString()).isEqualTo("urn:latchkey:problem:validation-error");
        assertThat(fieldMessages(problem, field)).as(body).contains(message);
    }
}
