package io.latchkey.ratelimit;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;


import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_MAIL_REQUESTS_PER_IP;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every credential request sent through other spellings of its path (percent-encoded letters, doubled and
 * trailing slashes, {@code ;} path parameters, other letter case, dot segments, an encoded slash) meets the same
 * limits as through its own path. Each test first uses up a client IP's limit through the plain path, then sends
 * the right credentials from that IP through every spelling: the answer is the firewall's 400, the limit's 429, or
 * the answer of a request that checks no credential at all (a redirect to the login page, 403, 404). Never the
 * answer of a credential check that was not counted, which is what {@code POST /oauth2/%74oken} used to get.
 */
@IntegrationTest
class CredentialPathVariantsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "path variants passphrase 7";
    private static final String NEW_PASSWORD = "path variants new passphrase 8";
    private static final String INVALID_CREDENTIALS = "The username or password is not valid";

    private final Browser browser = new Browser();

    @Test
    void theIssuesExamplesAreRefusedBeforeAnyCheck() {
        Browser.Response token = browser.send(HttpRequest.newBuilder(browser.resolve("/oauth2/%74oken"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=a%40b.test&password=x"))
                .build());
        assertThat(token.status()).isEqualTo(400);
        assertThat(token.body()).doesNotContain("invalid_grant").doesNotContain("Exception");

        Browser.Response page = browser.get("/login");
        Browser.Response login = browser.postForm("/%6Cogin", Map.of("username", "a@b.test", "password", "x",
                "_csrf", page.csrf()));
        assertThat(login.status()).isEqualTo(400);
        assertThat(login.body()).doesNotContain("Exception");
    }

    @Test
    void hostedSignIn() {
        String email = user("variants-login");
        String ip = freshIp();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            assertThat(signIn("/login", ip, TestUsers.uniqueEmail("nobody"), "x").location())
                    .isEqualTo(ISSUER + "/login?error");
        }
        assertThat(signIn("/login", ip, email, PASSWORD).status()).isEqualTo(429);

        assertSameLimits("/login", path -> signIn(path, ip, email, PASSWORD), response -> response.isRedirect()
                && (response.location().equals(ISSUER + "/") || response.location().startsWith(ISSUER + "/login?")));
    }

    @Test
    void passwordGrant() {
        String email = user("variants-grant");
        String ip = freshIp();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            assertThat(grant("/oauth2/token", ip, TestUsers.uniqueEmail("nobody")).status()).isEqualTo(400);
        }
        Browser.Response limited = grant("/oauth2/token", ip, email);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(OAuth.json(limited).get("error").asString()).isEqualTo("temporarily_unavailable");

        assertSameLimits("/oauth2/token", path -> grant(path, ip, email),
                response -> response.body().contains("access_token") || response.body().contains("invalid_grant"));
    }

    @Test
    void apiSignIn() {
        String email = user("variants-api");
        String ip = freshIp();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            assertThat(apiLogin("/api/v1/auth/login", ip, TestUsers.uniqueEmail("nobody"), PASSWORD).status())
                    .isEqualTo(400);
        }
        assertThat(apiLogin("/api/v1/auth/login", ip, email, PASSWORD).status()).isEqualTo(429);

        assertSameLimits("/api/v1/auth/login", path -> apiLogin(path, ip, email, PASSWORD),
                response -> response.body().contains("access_token") || response.body().contains(INVALID_CREDENTIALS));
    }

    @Test
    void hostedMailForms() {
        for (String path : List.of("/forgot-password", "/verify-email/resend", "/register")) {
            String ip = freshIp();
            for (int i = 0; i < RATE_LIMIT_MAIL_REQUESTS_PER_IP; i++) {
                assertThat(mailForm(path, ip, TestUsers.uniqueEmail("mail")).status()).as(path).isEqualTo(200);
            }
            assertThat(mailForm(path, ip, TestUsers.uniqueEmail("mail")).status()).as(path).isEqualTo(429);

            assertSameLimits(path, variant -> mailForm(variant, ip, TestUsers.uniqueEmail("mail")),
                    response -> response.status() == 200);
        }
    }

    @Test
    void apiMailEndpoints() {
        for (String path : List.of("/api/v1/auth/password-reset/request", "/api/v1/auth/resend-verification",
                "/api/v1/auth/register")) {
            String ip = freshIp();
            for (int i = 0; i < RATE_LIMIT_MAIL_REQUESTS_PER_IP; i++) {
                assertThat(mailApi(path, path, ip, TestUsers.uniqueEmail("mail")).status()).as(path).isEqualTo(202);
            }
            Browser.Response limited = mailApi(path, path, ip, TestUsers.uniqueEmail("mail"));
            assertThat(limited.status()).as(path).isEqualTo(429);
            assertThat(limited.header("Content-Type")).startsWith("application/problem+json");

            assertSameLimits(path, variant -> mailApi(path, variant, ip, TestUsers.uniqueEmail("mail")),
                    response -> response.status() == 202);
        }
    }

    @Test
    void currentPasswordOnTheAccountPage() {
        String email = user("variants-account");
        Browser owner = new Browser();
        assertThat(owner.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        String ip = freshIp();
        Browser guesser = new Browser();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            Browser.Response page = guesser.get("/login");
            guesser.postForm("/login", Map.of("username", TestUsers.uniqueEmail("nobody"), "password", "x",
                    "_csrf", page.csrf()), "X-Forwarded-For", ip);
        }
        Function<String, Browser.Response> changePassword = path -> {
            Browser.Response page = owner.get("/account");
            return owner.postForm(path, Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD,
                    "confirmPassword", NEW_PASSWORD, "_csrf", page.csrf()), "X-Forwarded-For", ip);
        };
        Browser.Response limited = changePassword.apply("/account/password");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body()).contains("id=\"too-many-requests\"");

        assertSameLimits("/account/password", changePassword, response -> response.status() == 200
                || response.isRedirect() && response.location().contains("saved=password"));
    }

    @Test
    void currentPasswordInTheApi() {
        String email = user("variants-me");
        Browser.Response login = apiLogin("/api/v1/auth/login", null, email, PASSWORD);
        String token = OAuth.json(login).get("access_token").asString();
        String ip = freshIp();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            apiLogin("/api/v1/auth/login", ip, TestUsers.uniqueEmail("nobody"), PASSWORD);
        }
        Function<String, Browser.Response> changePassword = path -> browser.send(HttpRequest.newBuilder(
                        browser.resolve(path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString("{\"currentPassword\":\"" + PASSWORD
                        + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}"))
                .build());
        assertThat(changePassword.apply("/api/v1/users/me/password").status()).isEqualTo(429);

        assertSameLimits("/api/v1/users/me/password", changePassword,
                response -> response.status() == 204 || response.body().contains("currentPassword"));
    }

    @Test
    void clientSecretAtTheTokenEndpoint() {
        String ip = freshIp();
        Browser.Response answer = null;
        for (int i = 0; i < 100 && (answer == null || answer.status() == 401); i++) {
            answer = clientCredentials("/oauth2/token", ip, "unknown-" + java.util.UUID.randomUUID(), "guess");
        }
        assertThat(answer.status()).isEqualTo(429);
        assertThat(OAuth.json(answer).get("error").asString()).isEqualTo("temporarily_unavailable");

        assertSameLimits("/oauth2/token", path -> clientCredentials(path, ip, CONFIDENTIAL_CLIENT, "a wrong secret"),
                response -> response.body().contains("invalid_client") || response.body().contains("access_token"));
    }

    /**
     * Sends the request through every spelling of {@code path}. None may get an answer that shows an uncounted
     * credential check ({@code checkedUncounted}); each must be refused by the firewall, limited, or not reach a
     * credential check at all.
     */
    private static void assertSameLimits(String path, Function<String, Browser.Response> send,
            Predicate<Browser.Response> checkedUncounted) {
        for (String variant : variants(path)) {
            Browser.Response response = send.apply(variant);
            assertThat(checkedUncounted.test(response)).as("%s answered %d: %s", variant, response.status(),
                    response.body()).isFalse();
            assertThat(response.status()).as("%s answered %d", variant, response.status())
                    .isIn(302, 400, 401, 403, 404, 405, 429);
            if (response.isRedirect()) {
                assertThat(response.location()).as(variant).isEqualTo(ISSUER + "/login");
            }
            assertThat(response.body()).as(variant).doesNotContain("Exception");
        }
    }

    static List<String> variants(String path) {
        int slash = path.lastIndexOf('/');
        String parent = path.substring(0, slash);
        String last = path.substring(slash + 1);
        String hex = String.format("%02X", (int) last.charAt(0));
        String capitalized = Character.toUpperCase(last.charAt(0)) + last.substring(1);
        List<String> variants = new ArrayList<>(List.of(
                parent + "/%" + hex + last.substring(1),
                parent + "/%" + hex.toLowerCase(Locale.ROOT) + last.substring(1),
                "/" + path,
                parent + "//" + last,
                path + "/",
                path + ";x=1",
                path + ";jsessionid=0123456789",
                path.toUpperCase(Locale.ROOT),
                parent + "/" + capitalized,
                parent + "/./" + last,
                parent + "/x/../" + last,
                "/%2F" + path.substring(1)));
        if (!parent.isEmpty()) {
            variants.add(parent + ";x=1/" + last);
            variants.add(parent + "%2F" + last);
        }
        return variants;
    }

    private String user(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        createUser(email, PASSWORD);
        return email;
    }

    /** A client IP of the test's own: an IPv6 /64 no other test uses. */
    private static String freshIp() {
        return "2001:db8:" + Integer.toHexString((int) (Math.random() * 0xffff)) + ":"
                + Integer.toHexString((int) (Math.random() * 0xffff)) + "::1";
    }

    private Browser.Response signIn(String path, String ip, String email, String password) {
        Browser.Response page = browser.get("/login");
        return browser.postForm(path, Map.of("username", email, "password", password, "_csrf", page.csrf()),
                "X-Forwarded-For", ip);
    }

    private Browser.Response grant(String path, String ip, String email) {
        return browser.send(HttpRequest.newBuilder(browser.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET))
                .header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(List.of(Map.entry("grant_type", "password"),
                        Map.entry("username", email), Map.entry("password", PASSWORD)))))
                .build());
    }

    private Browser.Response apiLogin(String path, String ip, String email, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email + "\",\"password\":\""
                        + password + "\"}"));
        if (ip != null) {
            request.header("X-Forwarded-For", ip);
        }
        return browser.send(request.build());
    }

    private Browser.Response mailForm(String path, String ip, String email) {
        Browser.Response page = browser.get("/login");
        return browser.postForm(path, Map.of("email", email, "password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD,
                "_csrf", page.csrf()), "X-Forwarded-For", ip);
    }

    /** A valid request to the API's mail endpoint {@code endpoint}, sent to {@code path}. */
    private Browser.Response mailApi(String endpoint, String path, String ip, String email) {
        String body = endpoint.endsWith("/register")
                ? "{\"email\":\"" + email + "\",\"password\":\"" + NEW_PASSWORD + "\"}"
                : "{\"email\":\"" + email + "\"}";
        return browser.send(HttpRequest.newBuilder(browser.resolve(path))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private Browser.Response clientCredentials(String path, String ip, String clientId, String secret) {
        return browser.send(HttpRequest.newBuilder(browser.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(clientId, secret))
                .header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build());
    }
}
