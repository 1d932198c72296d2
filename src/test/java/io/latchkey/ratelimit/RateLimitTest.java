package io.latchkey.ratelimit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.latchkey.account.AccountLocks;
import io.latchkey.admission.Admission;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.PostgresTestDatabase;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_ACCOUNT_FAILURES;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Brute-force protection on PostgreSQL. The test server exempts loopback from per-IP limits and trusts it as a
 * proxy, so a test gets a client IP of its own by sending X-Forwarded-For.
 */
@IntegrationTest
class RateLimitTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "rate limit password 42";

    @Autowired
    Admission admission;

    @Autowired
    CredentialGuard guard;

    @Autowired
    AccountLocks locks;

    @Autowired
    RateLimitProperties properties;

    @Autowired
    DataSource dataSource;

    @Test
    void wrongPasswordsSlowDownThenLockTheAccountWhichRefusesEvenTheRightPassword() {
        String email = TestUsers.uniqueEmail("brute");
        UUID id = createUser(email, PASSWORD);
        String other = TestUsers.uniqueEmail("bystander");
        createUser(other, PASSWORD);
        Browser browser = new Browser();

        for (int i = 1; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            assertThat(browser.signIn(email, "wrong password " + i).location()).isEqualTo(ISSUER + "/login?error");
        }
        assertThat(guard.delayFor(email)).isPositive().isLessThanOrEqualTo(properties.maxDelay());
        assertThat(guard.delayFor(other)).isZero();
        assertThat(lockedUntil(id)).isNull();

        // the last allowed failure locks the account
        assertThat(browser.signIn(email.toUpperCase(java.util.Locale.ROOT), "wrong again").location())
                .isEqualTo(ISSUER + "/login?error");
        assertThat(lockedUntil(id)).isNotNull();
        assertThat(locks.isLocked(email)).isTrue();

        MimeMessage mail = TestMailbox.awaitMessage(email, 1);
        assertThat(TestMailbox.subject(mail)).isEqualTo("Your account is locked");
        assertThat(TestMailbox.link(mail, ISSUER + "/forgot-password")).isEqualTo(ISSUER + "/forgot-password");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'ACCOUNT_LOCKED' AND user_id = ?",
                Integer.class, id)).isEqualTo(1);

        // during the lock the right password gets exactly the answer of a wrong one
        Browser.Response right = new Browser().signIn(email, PASSWORD);
        Browser.Response wrong = new Browser().signIn(email, "still wrong");
        assertThat(right.status()).isEqualTo(wrong.status());
        assertThat(right.location()).isEqualTo(wrong.location()).isEqualTo(ISSUER + "/login?error");
        assertThat(withoutCsrf(new Browser().follow(right).body())).isEqualTo(withoutCsrf(new Browser().follow(wrong).body()));

        // another account is not affected
        assertThat(new Browser().signIn(other, PASSWORD).location()).isEqualTo(ISSUER + "/");

        // a password reset ends the lock
        Browser resetting = new Browser();
        Browser.Response form = resetting.get("/forgot-password");
        resetting.postForm("/forgot-password", Map.of("email", email, "_csrf", form.csrf()));
        String link = TestMailbox.link(TestMailbox.awaitMessage(email, 2), ISSUER + "/reset-password?token=");
        Browser.Response resetForm = resetting.get(link);
        Browser.Response done = resetting.postForm("/reset-password", Map.of("token", link.substring(link.indexOf("token=") + 6),
                "password", "a new passphrase 43", "confirmPassword", "a new passphrase 43", "_csrf", resetForm.csrf()));
        assertThat(done.body()).contains("id=\"password-reset-done\"");
        assertThat(lockedUntil(id)).isNull();
        assertThat(new Browser().signIn(email, "a new passphrase 43").location()).isEqualTo(ISSUER + "/");
    }

    @Test
    void failuresFromManyIpsStillLockTheAccount() {
        String email = TestUsers.uniqueEmail("distributed");
        UUID id = createUser(email, PASSWORD);
        Browser browser = new Browser();
        for (int i = 1; i <= RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            Browser.Response page = browser.get("/login");
            Browser.Response failed = browser.postForm("/login", Map.of("username", email, "password", "guess " + i,
                    "_csrf", page.csrf()), "X-Forwarded-For", "203.0.113." + (10 + i));
            assertThat(failed.location()).isEqualTo(ISSUER + "/login?error");
        }
        assertThat(lockedUntil(id)).isNotNull();
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
    }

    @Test
    void tooManyAttemptsFromOneIpGet429WithRetryAfterAndAFriendlyPage() {
        String ip = "198.51.100." + (int) (Math.random() * 200 + 1);
        Browser browser = new Browser();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            Browser.Response page = browser.get("/login");
            Browser.Response attempt = browser.postForm("/login", Map.of("username", TestUsers.uniqueEmail("nobody"),
                    "password", "x", "_csrf", page.csrf()), "X-Forwarded-For", ip);
            assertThat(attempt.status()).isEqualTo(302);
        }
        Browser.Response page = browser.get("/login");
        Browser.Response limited = browser.postForm("/login", Map.of("username", TestUsers.uniqueEmail("nobody"),
                "password", "x", "_csrf", page.csrf()), "X-Forwarded-For", ip);
        assertThat(limited.status()).isEqualTo(429);
        // the bucket gains one attempt back every window / limit (tests use a ten-minute window, see TestServerInitializer)
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, Duration.ofMinutes(10).toSeconds() / RATE_LIMIT_SIGN_INS_PER_IP);
        assertThat(limited.body()).contains("id=\"too-many-requests\"").contains("too many attempts")
                .contains(retryAfter == 1 ? "wait 1 second and" : retryAfter < 60 ? "wait " + retryAfter + " seconds and"
                        : "wait " + ((retryAfter + 59) / 60) + " minutes and");

        Browser.Response german = browser.postForm("/login", Map.of("username", "a@b.test", "password", "x",
                "_csrf", page.csrf()), "X-Forwarded-For", ip, "Accept-Language", "de");
        assertThat(german.status()).isEqualTo(429);
        assertThat(german.body()).contains("zu viele Versuche");

        // other client IPs are not affected
        Browser.Response elsewhere = browser.postForm("/login", Map.of("username", "a@b.test", "password", "x",
                "_csrf", page.csrf()), "X-Forwarded-For", "198.51.100.250, 127.0.0.1");
        assertThat(elsewhere.status()).isEqualTo(302);
    }

    @Test
    void theHostedFormThePasswordGrantAndTheApiShareOneLimitBecauseTheyShareOnePasswordCheck() {
        // an address no other test spent attempts from (RATE_LIMIT_SIGN_INS_PER_IP of them end in a 429 here)
        String ip = io.latchkey.support.TestAddresses.unique();
        Browser browser = new Browser();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            String guess = TestUsers.uniqueEmail("shared");
            Browser.Response answer = switch (i % 3) {
                case 0 -> hostedSignIn(browser, ip, guess, "x");
                case 1 -> passwordGrant(browser, ip, guess, "x");
                default -> apiSignIn(browser, ip, guess, "x");
            };
            assertThat(answer.status()).as("attempt %d", i + 1).isIn(302, 400);
        }
        assertThat(hostedSignIn(browser, ip, "a@b.test", "x").status()).isEqualTo(429);
        Browser.Response grant = passwordGrant(browser, ip, "a@b.test", "x");
        assertThat(grant.status()).isEqualTo(429);
        assertThat(io.latchkey.support.OAuth.json(grant).get("error").asString()).isEqualTo("temporarily_unavailable");
        Browser.Response api = apiSignIn(browser, ip, "a@b.test", "x");
        assertThat(api.status()).isEqualTo(429);
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(api.header("Retry-After"))).isPositive();
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        String prefix = "2001:db8:" + Integer.toHexString((int) (Math.random() * 0xffff)) + ":";
        int subnet = (int) (Math.random() * 0xfff0);
        String network = prefix + Integer.toHexString(subnet);
        Browser browser = new Browser();
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            // every attempt from another address of the same /64
            assertThat(hostedSignIn(browser, network + "::" + Integer.toHexString(i + 1), "v6@latchkey.test", "x")
                    .status()).isEqualTo(302);
        }
        assertThat(hostedSignIn(browser, network + ":ffff:ffff:ffff:ffff", "v6@latchkey.test", "x").status())
                .isEqualTo(429);
        String nextNetwork = prefix + Integer.toHexString(subnet + 1);
        assertThat(hostedSignIn(browser, nextNetwork + "::1", "v6@latchkey.test", "x").status())
                .as("the next /64 is another client").isEqualTo(302);
    }

    private static Browser.Response hostedSignIn(Browser browser, String ip, String email, String password) {
        Browser.Response page = browser.get("/login");
        return browser.postForm("/login", Map.of("username", email, "password", password, "_csrf", page.csrf()),
                "X-Forwarded-For", ip);
    }

    private static Browser.Response passwordGrant(Browser browser, String ip, String email, String password) {
        return browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", io.latchkey.support.OAuth.basic(TestServerInitializer.FIRST_PARTY_CLIENT,
                        TestServerInitializer.FIRST_PARTY_SECRET))
                .header("X-Forwarded-For", ip)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Browser.encode(List.of(
                        Map.entry("grant_type", "password"), Map.entry("username", email),
                        Map.entry("password", password)))))
                .build());
    }

    private static Browser.Response apiSignIn(Browser browser, String ip, String email, String password) {
        return browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", ip)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email
                        + "\",\"password\":\"" + password + "\"}"))
                .build());
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        // 127.0.0.2 is loopback too, but neither trusted as a proxy nor exempt in the test server
        Browser.Response page = new Browser().get("/login");
        String session = page.header("Set-Cookie").split(";")[0];
        int status = 0;
        for (int i = 0; i <= RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            status = rawLoginFrom("127.0.0.2", "192.0.2." + (i + 1), session, page.csrf());
            if (i < RATE_LIMIT_SIGN_INS_PER_IP) {
                assertThat(status).as("attempt %d", i + 1).isNotEqualTo(429);
            }
        }
        assertThat(status).isEqualTo(429);
    }

    @Test
    void twoInstancesOnOneDatabaseShareTheirCounts() {
        DriverManagerDataSource first = instanceDataSource();
        DriverManagerDataSource second = instanceDataSource();
        CredentialGuard one = new CredentialGuard(new JdbcBucketStore(first), properties, admission);
        CredentialGuard two = new CredentialGuard(new JdbcBucketStore(second), properties, admission);

        String ip = "192.0.2.222";
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            assertThat((i % 2 == 0 ? one : two).checkAttempt(ip, null).allowed()).isTrue();
        }
        Verdict rejected = one.checkAttempt(ip, null);
        assertThat(rejected.allowed()).isFalse();
        assertThat(rejected.retryAfterSeconds()).isPositive();
        assertThat(two.checkAttempt(ip, null).allowed()).isFalse();

        String email = TestUsers.uniqueEmail("cluster");
        for (int i = 1; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            assertThat((i % 2 == 0 ? one : two).recordFailure("192.0.2." + i, email)).isFalse();
        }
        assertThat(one.delayFor(email)).isEqualTo(two.delayFor(email)).isPositive();
        assertThat(one.recordFailure("192.0.2.99", email)).as("the lock is due").isTrue();
        assertThat(two.delayFor(email)).as("and the count starts afresh").isZero();
    }

    @Test
    void inMemoryBucketsApplyTheSameRules() {
        CredentialGuard memory = new CredentialGuard(new InMemoryBucketStore(), properties, admission);
        String email = TestUsers.uniqueEmail("memory");
        for (int i = 0; i < RATE_LIMIT_SIGN_INS_PER_IP; i++) {
            assertThat(memory.checkAttempt("192.0.2.1", null).allowed()).isTrue();
        }
        assertThat(memory.checkAttempt("192.0.2.1", null).allowed()).isFalse();
        assertThat(memory.checkAttempt("127.0.0.1", null).allowed()).isTrue(); // exempt in tests
        for (int i = 1; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            assertThat(memory.recordFailure("192.0.2.1", email)).isFalse();
        }
        assertThat(memory.recordFailure("192.0.2.1", email)).isTrue();
        memory.purge();
    }

    @Test
    void onlyWrongClientSecretsCountSoAClientsOwnBurstIsNeverHeldUp() {
        CredentialGuard memory = new CredentialGuard(new InMemoryBucketStore(), properties, admission);
        for (int i = 0; i < 10 * properties.clientSecretFailuresPerClient(); i++) {
            assertThat(memory.checkClientSecret("192.0.2.3", "busy-client").allowed()).isTrue();
        }
        for (int i = 0; i < properties.clientSecretFailuresPerClient(); i++) {
            memory.recordClientSecretFailure("192.0.2." + (10 + i), "busy-client");
        }
        Verdict limited = memory.checkClientSecret("192.0.2.3", "busy-client");
        assertThat(limited.allowed()).isFalse();
        assertThat(limited.retryAfterSeconds()).isPositive();
        assertThat(memory.checkClientSecret("192.0.2.3", "another-client").allowed()).isTrue();
    }

    @Test
    void successForgetsEarlierFailures() {
        String email = TestUsers.uniqueEmail("forgiven");
        createUser(email, PASSWORD);
        Browser browser = new Browser();
        for (int i = 0; i < properties.delayAfterFailures(); i++) {
            browser.signIn(email, "nope " + i);
        }
        assertThat(guard.delayFor(email)).isPositive();
        assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        assertThat(guard.delayFor(email)).isZero();
    }

    @Test
    void badInputNeverCausesAServerError() {
        List<String> nasty = List.of("", " ", "x".repeat(20_000), "a\u0000b@latchkey.test", "\u0000",
                "ünïcödé@例え.テスト", "😀😀😀@latchkey.test", "'; DROP TABLE users; --@x.test", "%00@x.test",
                "a@b.test\r\nBcc: victim@x.test", "\uFEFF\u202Eadmin@latchkey.test");
        Browser browser = new Browser();
        for (String value : nasty) {
            Browser.Response page = browser.get("/login");
            String csrf = page.csrf();
            for (Browser.Response response : List.of(
                    browser.postForm("/login", Map.of("username", value, "password", value, "_csrf", csrf),
                            "X-Forwarded-For", value.isEmpty() ? "garbage" : "not-an-ip, " + value.replaceAll("[^\\x21-\\x7e]", "")),
                    browser.postForm("/forgot-password", Map.of("email", value, "_csrf", csrf)),
                    browser.postForm("/verify-email/resend", Map.of("email", value, "_csrf", csrf)),
                    browser.postForm("/register", Map.of("email", value, "password", value, "confirmPassword", value,
                            "_csrf", csrf)))) {
                assertThat(response.status()).as("%s for %s", response.uri(), value.length() > 40 ? value.length() + " chars" : value)
                        .isLessThan(500);
            }
        }
        Browser.Response page = browser.get("/login");
        assertThat(browser.postForm("/login", Map.of("_csrf", page.csrf())).status()).isLessThan(500);
        assertThat(browser.postForm("/forgot-password", Map.of("_csrf", page.csrf())).status()).isLessThan(500);
    }

    private static String withoutCsrf(String body) {
        return body.replaceAll("name=\"_csrf\"\\s+value=\"[^\"]+\"", "");
    }

    private java.sql.Timestamp lockedUntil(UUID id) {
        return jdbc.queryForObject("SELECT locked_until FROM users WHERE id = ?", java.sql.Timestamp.class, id);
    }

    private static DriverManagerDataSource instanceDataSource() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(PostgresTestDatabase.sharedUrl(),
                PostgresTestDatabase.user(), PostgresTestDatabase.password());
        dataSource.setDriverClassName("org.postgresql.Driver");
        return dataSource;
    }

    /** A sign-in POST (in the given session, with its CSRF token) over a socket bound to the given local address. */
    private static int rawLoginFrom(String localAddress, String forwardedFor, String sessionCookie, String csrf)
            throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", TestServerInitializer.PORT), 5000);
            socket.setSoTimeout(10_000);
            String body = "username=spoof%40latchkey.test&password=x&_csrf=" + csrf;
            String request = "POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + TestServerInitializer.PORT + "\r\n"
                    + "X-Forwarded-For: " + forwardedFor + "\r\n"
                    + "Cookie: " + sessionCookie + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
