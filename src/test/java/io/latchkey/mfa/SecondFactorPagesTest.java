package io.latchkey.mfa;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_ACCOUNT_FAILURES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second factor through the hosted pages, as a browser sends them: enrolment on /account/second-factor, the
 * code page after the password, recovery codes, replay, guessing, management with fresh codes, step-up, and bad input
 * on every form.
 */
@IntegrationTest
class SecondFactorPagesTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "second factor passphrase 1";
    private static final Pattern SECRET = Pattern.compile("data-secret=\"([A-Z2-7]+)\"");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<code>([a-z2-9]{5}-[a-z2-9]{5})</code>");

    @Autowired
    TotpSecondFactor totp;

    @Test
    void enrolmentShowsTheQrCodeAndKeyConfirmsWithACodeAndShowsTheRecoveryCodesOnce() {
        String email = TestUsers.uniqueEmail("pages-enrol");
        UUID user = createUser(email, PASSWORD);
        Browser browser = new Browser();
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        assertThat(browser.get("/account").body()).contains("href=\"/account/second-factor\"");

        Browser.Response page = browser.get("/account/second-factor");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"start-enrolment\"").doesNotContain("<svg");
        assertThat(browser.postForm("/account/second-factor/start", Map.of("_csrf", page.csrf())).location())
                .isEqualTo(ISSUER + "/account/second-factor");
        Browser.Response enrolment = browser.get("/account/second-factor");
        assertThat(enrolment.body()).contains("role=\"img\"").contains("aria-label=\"QR code that adds")
                .contains("<svg").contains("aria-hidden=\"true\"").contains("autocomplete=\"one-time-code\"")
                .contains("inputmode=\"numeric\"");
        String secret = secretOf(enrolment);
        assertThat(enrolment.body()).contains(secret.substring(0, 4) + " " + secret.substring(4, 8));
        assertThat(browser.get("/account/second-factor").body()).as("the same pending secret on reload")
                .contains(secret);

        Browser.Response wrong = browser.postForm("/account/second-factor/confirm",
                Map.of("code", TestTotp.wrong(secret), "_csrf", enrolment.csrf()));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("class=\"error-summary\"").contains("aria-invalid=\"true\"")
                .contains("aria-describedby=\"confirm-code-error\"").contains("This code is wrong");
        assertThat(totp.isEnrolled(user)).isFalse();

        Browser.Response confirmed = browser.postForm("/account/second-factor/confirm",
                Map.of("code", TestTotp.previous(secret), "_csrf", enrolment.csrf()));
        assertThat(confirmed.status()).isEqualTo(200);
        List<String> codes = recoveryCodes(confirmed);
        assertThat(codes).hasSize(10);
        assertThat(confirmed.body()).contains("not shown again");
        assertThat(totp.isEnrolled(user)).isTrue();

        Browser.Response manage = browser.get("/account/second-factor");
        assertThat(manage.body()).contains("id=\"second-factor-on\"").contains("Recovery codes left: 10")
                .doesNotContain(codes.get(0)).doesNotContain(secret);
        String sealed = jdbc.queryForObject("SELECT secret_sealed FROM totp_factors WHERE user_id = ?", String.class,
                user);
        assertThat(sealed).doesNotContain(secret);
        assertThat(jdbc.queryForList("SELECT code_hash FROM recovery_codes WHERE user_id = ?", String.class, user))
                .hasSize(10).noneMatch(hash -> codes.stream().anyMatch(code -> hash.contains(code.replace("-", ""))));
        assertThat(auditTypes(user)).contains("SECOND_FACTOR_ENROLLED");
        assertThat(TestMailbox.subject(TestMailbox.awaitMessage(email, 1)))
                .isEqualTo("A second factor was added to your account");
    }

    @Test
    void aRightPasswordLeadsToTheCodePageAndARightCodeFinishesTheSignInOnlyOnce() {
        String email = TestUsers.uniqueEmail("pages-code");
        UUID user = createUser(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);

        Browser browser = new Browser();
        assertThat(browser.get("/account").location()).isEqualTo(ISSUER + "/login");
        Browser.Response password = browser.signIn(email, PASSWORD);
        assertThat(password.location()).isEqualTo(ISSUER + "/login/second-factor");
        assertThat(browser.get("/account").location()).as("not signed in yet").isEqualTo(ISSUER + "/login");
        assertThat(auditTypes(user)).as("the password step is neither a failure nor a sign-in")
                .doesNotContain("LOGIN_FAILED", "LOGIN_SUCCEEDED");

        Browser.Response codePage = browser.get("/login/second-factor");
        assertThat(codePage.status()).isEqualTo(200);
        assertThat(codePage.body()).contains("autocomplete=\"one-time-code\"").contains("inputmode=\"numeric\"")
                .contains("id=\"use-recovery-code\"").contains("id=\"start-over\"").contains(email);
        Browser.Response wrong = browser.postForm("/login/second-factor",
                Map.of("code", TestTotp.wrong(enrolled.secret()), "_csrf", codePage.csrf()));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("class=\"error-summary\"").contains("aria-invalid=\"true\"");

        String code = TestTotp.current(enrolled.secret());
        Browser.Response signedIn = browser.postForm("/login/second-factor",
                Map.of("code", code, "_csrf", wrong.csrf()));
        assertThat(signedIn.location()).as("back to the page asked for first").isEqualTo(ISSUER + "/account");
        assertThat(signedIn.headers().get("set-cookie")).anyMatch(cookie -> cookie.startsWith("latchkey_device="));
        Browser.Response account = browser.get("/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.csrf()).as("a new CSRF token after the sign-in").isNotEqualTo(wrong.csrf());
        assertThat(browser.get("/login/second-factor").location()).as("the session has the factor")
                .isEqualTo(ISSUER + "/");
        assertThat(auditTypes(user)).contains("LOGIN_SUCCEEDED", "SECOND_FACTOR_CODE_REFUSED")
                .doesNotContain("LOGIN_FAILED");

        Browser other = new Browser();
        assertThat(other.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login/second-factor");
        Browser.Response replay = other.postForm("/login/second-factor",
                Map.of("code", code, "_csrf", other.get("/login/second-factor").csrf()));
        assertThat(replay.status()).as("the same step again").isEqualTo(400);
        assertThat(other.get("/account").location()).isEqualTo(ISSUER + "/login");
    }

    @Test
    void theSessionBetweenPasswordAndCodeHoldsNeitherThePasswordNorItsHash() {
        String email = TestUsers.uniqueEmail("pages-no-secret");
        String password = "kept nowhere " + UUID.randomUUID();
        UUID user = createUser(email, password);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE id = ?", String.class, user);

        Browser browser = new Browser();
        assertThat(browser.signIn(email, password).location()).isEqualTo(ISSUER + "/login/second-factor");
        assertThat(sessionBytes()).as("the pending password step in the database session")
                .doesNotContain(password).doesNotContain(hash);

        Browser.Response codePage = browser.get("/login/second-factor");
        assertThat(browser.postForm("/login/second-factor", Map.of("code", TestTotp.current(enrolled.secret()),
                "_csrf", codePage.csrf())).location()).isEqualTo(ISSUER + "/");
        assertThat(browser.get("/account").status()).isEqualTo(200);
        assertThat(sessionBytes()).as("the signed-in session").doesNotContain(password).doesNotContain(hash);
    }

    /** Every attribute of every stored browser session, as text (Java serialization keeps strings readable). */
    private String sessionBytes() {
        return String.join("\n", jdbc.queryForList("SELECT attribute_bytes FROM spring_session_attributes",
                byte[].class).stream().map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                .toList());
    }

    @Test
    void theCodePageContinuesToTheSavedRequest() {
        String email = TestUsers.uniqueEmail("pages-saved");
        UUID user = createUser(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        Browser browser = new Browser();
        assertThat(browser.get("/account?tab=security").location()).isEqualTo(ISSUER + "/login");
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login/second-factor");
        Browser.Response done = browser.postForm("/login/second-factor", Map.of("code",
                TestTotp.current(enrolled.secret()), "_csrf", browser.get("/login/second-factor").csrf()));
        assertThat(done.location()).isEqualTo(ISSUER + "/account?tab=security");
    }

    @Test
    void aRecoveryCodeSignsInOnceAndIsSpent() {
        String email = TestUsers.uniqueEmail("pages-recovery");
        UUID user = createUser(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        String recovery = enrolled.recoveryCodes().get(5);

        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/login/second-factor?recovery");
        assertThat(page.body()).contains("Recovery code").contains("id=\"use-authenticator\"");
        Browser.Response signedIn = browser.postForm("/login/second-factor?recovery",
                Map.of("code", recovery.toUpperCase(), "_csrf", page.csrf()));
        assertThat(signedIn.location()).isEqualTo(ISSUER + "/");
        assertThat(browser.get("/account").status()).isEqualTo(200);
        assertThat(totp.recoveryCodesLeft(user)).isEqualTo(9);
        assertThat(auditTypes(user)).contains("RECOVERY_CODE_USED", "LOGIN_SUCCEEDED");

        Browser again = new Browser();
        again.signIn(email, PASSWORD);
        Browser.Response spent = again.postForm("/login/second-factor?recovery",
                Map.of("code", recovery, "_csrf", again.get("/login/second-factor?recovery").csrf()));
        assertThat(spent.status()).isEqualTo(400);
        assertThat(spent.body()).contains("This code is wrong");
    }

    @Test
    void guessingCodesLocksTheAccountAndTheThrottledClientGetsTooManyRequests() {
        String email = TestUsers.uniqueEmail("pages-guess");
        UUID user = createUser(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        String csrf = browser.get("/login/second-factor").csrf();
        Browser.Response last = null;
        for (int i = 0; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            last = browser.postForm("/login/second-factor", Map.of("code", TestTotp.wrong(enrolled.secret()),
                    "_csrf", csrf), "X-Forwarded-For", "198.18.3." + (i + 1));
        }
        assertThat(last.location()).as("locked: the generic refusal, the password step forgotten")
                .isEqualTo(ISSUER + "/login?error");
        assertThat(jdbc.queryForObject("SELECT locked_until FROM users WHERE id = ?", java.sql.Timestamp.class, user))
                .isNotNull();
        assertThat(auditTypes(user)).contains("ACCOUNT_LOCKED");

        // code attempts share the client IP's sign-in limit: a client that used it up gets 429, nothing checked
        String otherEmail = TestUsers.uniqueEmail("pages-throttle");
        UUID other = createUser(otherEmail, PASSWORD);
        TestTotp.Enrolled otherEnrolled = TestTotp.enrol(totp, other);
        Browser guesser = new Browser();
        guesser.signIn(otherEmail, PASSWORD);
        String guesserCsrf = guesser.get("/login/second-factor").csrf();
        Browser passwords = new Browser();
        String loginCsrf = passwords.get("/login").csrf();
        for (int i = 0; i < 20; i++) {
            if (passwords.postForm("/login", Map.of("username", TestUsers.uniqueEmail("nobody"), "password", "guess",
                    "_csrf", loginCsrf), "X-Forwarded-For", "198.18.4.1").status() == 429) {
                break;
            }
        }
        int status = guesser.postForm("/login/second-factor", Map.of("code", TestTotp.current(otherEnrolled.secret()),
                "_csrf", guesserCsrf), "X-Forwarded-For", "198.18.4.1").status();
        assertThat(status).isEqualTo(429);
        assertThat(auditTypes(other)).contains("SECOND_FACTOR_THROTTLED");
    }

    @Test
    void regeneratingAndRemovingNeedAFreshCode() {
        String email = TestUsers.uniqueEmail("pages-manage");
        UUID user = createUser(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        Browser browser = signedInWithCode(email, enrolled);

        Browser.Response manage = browser.get("/account/second-factor");
        Browser.Response replayed = browser.postForm("/account/second-factor/recovery-codes",
                Map.of("code", TestTotp.current(enrolled.secret()), "_csrf", manage.csrf()));
        assertThat(replayed.status()).as("the code used to sign in is not fresh").isEqualTo(400);
        assertThat(replayed.body()).contains("aria-describedby=\"regenerate-code-error\"");
        Browser.Response fresh = browser.postForm("/account/second-factor/recovery-codes",
                Map.of("code", TestTotp.next(enrolled.secret()), "_csrf", manage.csrf()));
        assertThat(fresh.status()).isEqualTo(200);
        List<String> codes = recoveryCodes(fresh);
        assertThat(codes).hasSize(10).doesNotContainAnyElementsOf(enrolled.recoveryCodes());

        Browser.Response wrong = browser.postForm("/account/second-factor/disable",
                Map.of("code", enrolled.recoveryCodes().get(0), "_csrf", manage.csrf()));
        assertThat(wrong.status()).as("an old recovery code").isEqualTo(400);
        assertThat(wrong.body()).contains("aria-describedby=\"disable-code-error\"");
        assertThat(totp.isEnrolled(user)).isTrue();
        Browser.Response removed = browser.postForm("/account/second-factor/disable",
                Map.of("code", codes.get(0), "_csrf", manage.csrf()));
        assertThat(removed.location()).isEqualTo(ISSUER + "/account/second-factor?removed");
        assertThat(totp.isEnrolled(user)).isFalse();
        assertThat(auditTypes(user)).contains("RECOVERY_CODES_REGENERATED", "SECOND_FACTOR_DISABLED");
        TestMailbox.awaitMessage(email, 3);
        assertThat(TestMailbox.messagesTo(email)).extracting(TestMailbox::subject).contains(
                "New recovery codes for your account", "The second factor of your account was removed");
        assertThat(new Browser().signIn(email, PASSWORD).location()).as("the password alone again")
                .isEqualTo(ISSUER + "/");
    }

    @Test
    void aSignedInSessionWithoutTheSecondFactorStepsUpOnTheCodePage() {
        String email = TestUsers.uniqueEmail("pages-stepup");
        UUID user = createUser(email, PASSWORD);
        Browser browser = new Browser();
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/");
        assertThat(browser.get("/login/second-factor").location()).as("no second factor: nothing to step up to")
                .isEqualTo(ISSUER + "/login");
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);

        Browser.Response page = browser.get("/login/second-factor");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"start-over\"").contains("action=\"/logout\"");
        Browser.Response steppedUp = browser.postForm("/login/second-factor",
                Map.of("code", TestTotp.current(enrolled.secret()), "_csrf", page.csrf()));
        assertThat(steppedUp.location()).isEqualTo(ISSUER + "/");
        assertThat(browser.get("/login/second-factor").location()).as("the session has the factor now")
                .isEqualTo(ISSUER + "/");
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }

    @Test
    void badInputOnEveryFormIsRefusedWithAFriendlyPageAndChangesNothing() {
        String email = TestUsers.uniqueEmail("pages-bad");
        UUID user = createUser(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        Long stepBefore = lastUsedStep(user);

        Browser anonymous = new Browser();
        String anonymousCsrf = anonymous.get("/login").csrf();
        assertThat(anonymous.postForm("/login/second-factor", Map.of("code", "123456", "_csrf", anonymousCsrf))
                .location()).as("no password step").isEqualTo(ISSUER + "/login?expired");
        assertThat(anonymous.get("/login/second-factor").location()).isEqualTo(ISSUER + "/login");

        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        String csrf = browser.get("/login/second-factor").csrf();
        assertThat(browser.postForm("/login/second-factor", Map.of("code", TestTotp.current(enrolled.secret())))
                .status()).as("no CSRF token").isEqualTo(403);
        for (String garbage : new String[] { "", "   ", "12\u00003456", "x".repeat(10_000),
                "<script>alert(1)</script>", "' OR '1'='1", "１２３４５６", "\uD83D\uDD11\uD83D\uDD11" }) {
            Browser.Response refused = browser.postForm("/login/second-factor", Map.of("code", garbage, "_csrf", csrf));
            assertThat(refused.status()).as(garbage).isEqualTo(400);
            assertThat(refused.body()).contains("class=\"error-summary\"").doesNotContain("<script>alert(1)");
        }
        Browser.Response noCode = browser.postForm("/login/second-factor", Map.of("_csrf", csrf));
        assertThat(noCode.status()).isEqualTo(400);
        assertThat(noCode.body()).contains("Enter the code.");
        Browser.Response twice = browser.postForm("/login/second-factor",
                List.of(Map.entry("code", "1"), Map.entry("code", "2"), Map.entry("_csrf", csrf)));
        assertThat(twice.status()).isLessThan(500);
        assertThat(lastUsedStep(user)).isEqualTo(stepBefore);
        assertThat(totp.recoveryCodesLeft(user)).isEqualTo(10);
        assertThat(browser.get("/account").location()).isEqualTo(ISSUER + "/login");

        // the garbage above counted as wrong codes and locked the account: another one for the account's forms
        String otherEmail = TestUsers.uniqueEmail("pages-bad-forms");
        UUID other = createUser(otherEmail, PASSWORD);
        TestTotp.Enrolled otherEnrolled = TestTotp.enrol(totp, other);
        Browser signedIn = signedInWithCode(otherEmail, otherEnrolled);
        String accountCsrf = signedIn.get("/account/second-factor").csrf();
        for (String path : new String[] { "/account/second-factor/recovery-codes", "/account/second-factor/disable",
                "/account/second-factor/confirm" }) {
            for (String garbage : new String[] { "", "x".repeat(10_000), "\u0000", "<script>alert(1)</script>" }) {
                Browser.Response refused = signedIn.postForm(path, Map.of("code", garbage, "_csrf", accountCsrf));
                assertThat(refused.status()).as(path + " " + garbage.length()).isIn(302, 400);
                assertThat(refused.body()).doesNotContain("<script>alert(1)");
            }
            assertThat(signedIn.postForm(path, Map.of("code", "123456")).status()).as("no CSRF").isEqualTo(403);
        }
        assertThat(totp.isEnrolled(other)).isTrue();
        assertThat(totp.recoveryCodesLeft(other)).isEqualTo(10);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?", Long.class, other))
                .isEqualTo(10);
    }

    @Test
    void startingOverForgetsThePasswordStep() {
        String email = TestUsers.uniqueEmail("pages-over");
        UUID user = createUser(email, PASSWORD);
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/login/second-factor");
        assertThat(browser.postForm("/login/second-factor/start-over", Map.of("_csrf", page.csrf())).location())
                .isEqualTo(ISSUER + "/login");
        assertThat(browser.get("/login/second-factor").location()).isEqualTo(ISSUER + "/login");
        assertThat(browser.postForm("/login/second-factor", Map.of("code", TestTotp.current(enrolled.secret()),
                "_csrf", page.csrf())).location()).isEqualTo(ISSUER + "/login?expired");
    }

    private Browser signedInWithCode(String email, TestTotp.Enrolled enrolled) {
        Browser browser = new Browser();
        assertThat(browser.signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login/second-factor");
        assertThat(browser.postForm("/login/second-factor", Map.of("code", TestTotp.current(enrolled.secret()),
                "_csrf", browser.get("/login/second-factor").csrf())).location()).isEqualTo(ISSUER + "/");
        return browser;
    }

    private static String secretOf(Browser.Response page) {
        Matcher matcher = SECRET.matcher(page.body());
        assertThat(matcher.find()).as("the manual key").isTrue();
        return matcher.group(1);
    }

    private static List<String> recoveryCodes(Browser.Response page) {
        return RECOVERY_CODE.matcher(page.body()).results().map(match -> match.group(1)).toList();
    }

    private Long lastUsedStep(UUID user) {
        return jdbc.queryForObject("SELECT last_used_step FROM totp_factors WHERE user_id = ?", Long.class, user);
    }

    private List<String> auditTypes(UUID user) {
        return jdbc.queryForList("SELECT type FROM audit_events WHERE user_id = ?", String.class, user);
    }
}
