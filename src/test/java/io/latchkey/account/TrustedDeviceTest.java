package io.latchkey.account;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_ACCOUNT_FAILURES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lock that cannot be turned against the owner: someone who locks an account with wrong passwords locks out
 * every client but the browsers the owner signed in with before (device cookies), and the owner can always end the
 * lock with a password reset.
 */
@IntegrationTest
class TrustedDeviceTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "trusted device passphrase 1";

    @Autowired
    TrustedDevices devices;

    @Test
    void aSignInGivesTheBrowserAnHttpOnlyDeviceCookieThatNamesTheAccountWithoutItsEmail() {
        String email = user("cookie");
        Browser.Response signedIn = new Browser().signIn(email, PASSWORD);
        assertThat(signedIn.location()).isEqualTo(ISSUER + "/");
        String cookie = signedIn.headers().get("set-cookie").stream()
                .filter(header -> header.startsWith(TrustedDevices.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/").contains("Max-Age=");
        assertThat(cookie).as("not Secure over plain HTTP").doesNotContain("Secure");
        String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        String claims = new String(java.util.Base64.getUrlDecoder().decode(value.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(claims).doesNotContainIgnoringCase(email).doesNotContain(email.substring(0, email.indexOf('@')));

        assertThat(devices.deviceOf(value, email)).isPresent();
        assertThat(devices.deviceOf(value, email.toUpperCase(java.util.Locale.ROOT))).isPresent();
        assertThat(devices.deviceOf(value, TestUsers.uniqueEmail("someone-else"))).as("another account").isEmpty();
        assertThat(devices.deviceOf(value.substring(0, value.length() - 2) + "AA", email)).as("tampered").isEmpty();
        assertThat(devices.deviceOf("garbage", email)).isEmpty();
        assertThat(devices.deviceOf("x".repeat(10_000), email)).isEmpty();
    }

    @Test
    void anAttackerWhoLocksTheAccountLocksOutEveryoneButTheOwnersBrowser() {
        String email = user("owner");
        UUID id = userId(email);
        Browser owner = new Browser();
        assertThat(owner.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        signOut(owner);

        Browser attacker = new Browser();
        for (int i = 0; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            Browser.Response page = attacker.get("/login");
            assertThat(attacker.postForm("/login", Map.of("username", email, "password", "guess " + i,
                    "_csrf", page.csrf()), "X-Forwarded-For", "198.18.0." + (i + 1)).location())
                    .isEqualTo(ISSUER + "/login?error");
        }
        assertThat(lockedUntil(id)).as("locked").isNotNull();

        // a browser without the cookie, the password grant and the API are untrusted: locked out
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
        Browser.Response grant = OAuth.post(new Browser(), "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", PASSWORD));
        assertThat(OAuth.json(grant).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(apiLogin(email, PASSWORD).status()).isEqualTo(400);

        // the owner's browser still signs in, and is not slowed down by the attacker's failures
        assertThat(owner.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        assertThat(lockedUntil(id)).as("the lock holds for everyone else").isNotNull();
    }

    @Test
    void aTrustedDeviceHasASmallFailureBudgetOfItsOwnAfterWhichItIsTrustedNoMore() {
        String email = user("budget");
        UUID id = userId(email);
        Browser device = new Browser();
        assertThat(device.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        signOut(device);

        int budget = 5; // latchkey.rate-limit.trusted-device-failures
        for (int i = 0; i < budget; i++) {
            assertThat(device.signIn(email, "device guess " + i).location()).isEqualTo(ISSUER + "/login?error");
        }
        assertThat(lockedUntil(id)).as("a trusted device's failures do not count against the account").isNull();

        // now it is one client among others: its failures count against the account, which locks
        for (int i = 0; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            device.signIn(email, "untrusted guess " + i);
        }
        assertThat(lockedUntil(id)).isNotNull();
        assertThat(device.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
    }

    @Test
    void aCompletedPasswordResetEndsTheLockForEveryClient() {
        String email = user("reset-ends-lock");
        UUID id = userId(email);
        for (int i = 0; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            apiLogin(email, "api guess " + i);
        }
        assertThat(lockedUntil(id)).isNotNull();
        assertThat(apiLogin(email, PASSWORD).status()).isEqualTo(400);

        Browser api = new Browser();
        assertThat(api.send(json("/api/v1/auth/password-reset/request", "{\"email\":\"" + email + "\"}")).status())
                .isEqualTo(202);
        String link = AccountPages.link(email, 2, "/reset-password");
        String token = AccountPages.token(link);
        assertThat(api.send(json("/api/v1/auth/password-reset/confirm", "{\"token\":\"" + token
                + "\",\"password\":\"a brand new passphrase 2\"}")).status()).isEqualTo(204);

        assertThat(lockedUntil(id)).isNull();
        assertThat(apiLogin(email, "a brand new passphrase 2").status()).isEqualTo(200);
        assertThat(new Browser().signIn(email, "a brand new passphrase 2").location()).isEqualTo(ISSUER + "/");
    }

    private String user(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        createUser(email, PASSWORD);
        return email;
    }

    private UUID userId(String email) {
        return jdbc.queryForObject("SELECT id FROM users WHERE email = ?", UUID.class, email);
    }

    private java.sql.Timestamp lockedUntil(UUID id) {
        return jdbc.queryForObject("SELECT CASE WHEN locked_until > CURRENT_TIMESTAMP THEN locked_until END "
                + "FROM users WHERE id = ?", java.sql.Timestamp.class, id);
    }

    private static void signOut(Browser browser) {
        Browser.Response account = browser.get("/account");
        assertThat(browser.postForm("/logout", Map.of("_csrf", account.csrf())).location())
                .isEqualTo(ISSUER + "/login?logout");
    }

    private static Browser.Response apiLogin(String email, String password) {
        return new Browser().send(json("/api/v1/auth/login", "{\"username\":\"" + email + "\",\"password\":\""
                + password + "\"}"));
    }

    private static HttpRequest json(String path, String body) {
        return HttpRequest.newBuilder(new Browser().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
