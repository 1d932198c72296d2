package io.latchkey.pages;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.support.AxeCore;
import io.latchkey.support.Browser;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.PageScreenshots;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_MAIL_REQUESTS_PER_IP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every state of every hosted page, in every language, breaks no rule of WCAG 2.2 at levels A and AA that axe-core
 * can check, in a real headless Chromium. Each case walks to its page state as a user would (forms are submitted
 * with the browser's own validation off, so the server's error states show), checks the page's language and, for
 * error pages, its status, then writes screenshots at 1280 and 390 px to
 * {@code target/screenshots/<state>-<lang>-<width>.png} for review and runs axe-core there: English at 1280 px,
 * German at 390 px. The pages are laid out alike in both languages, so every state is checked at both widths, and the
 * longer German words where the page is narrowest.
 */
@IntegrationTest
class AccessibilityTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "accessibility passphrase 1";
    private static final String NEW_PASSWORD = "accessibility passphrase 2";
    private static final List<String> LANGUAGES = List.of("en", "de");
    private static final int DESKTOP_WIDTH = 1280;
    private static final int PHONE_WIDTH = 390;

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    /** Signed in by the states that only look: has a name, a connected application, sign-ins and sessions. */
    private static String accountEmail;
    /** The cookies of one sign-in of {@link #accountEmail}, which every state that only looks reuses. */
    private static Set<Cookie> accountSession = Set.of();
    /** Registered but never verified: signing in with the right password asks to confirm the address first. */
    private static String unverifiedEmail;
    /** {@link #PASSWORD} hashed once for all the users made here: each hash takes a good fraction of a second. */
    private static String passwordHash;

    private String language;

    @Autowired
    TotpSecondFactor secondFactor;

    @Autowired
    io.latchkey.client.ClientAdministration clientAdministration;

    /** The public device client of {@link PageState#DEVICE_CONSENT}, made once. */
    private static String deviceClient;

    private TestTotp.Enrolled enrolled;

    /** A page in one state, and how a user gets there. */
    enum PageState {
        LOGIN(t -> t.open("/login")),
        LOGIN_FOR_AN_APPLICATION(AccessibilityTest::loginForAnApplication),
        LOGIN_WRONG_PASSWORD(t -> t.open("/login").submit("/login", "username", TestUsers.uniqueEmail("nobody"),
                "password", "not the password")),
        LOGIN_EMAIL_NOT_CONFIRMED(t -> t.open("/login").submit("/login", "username", unverifiedEmail,
                "password", PASSWORD)),
        LOGIN_SIGNED_OUT(t -> t.signIn(t.newUser("axe-signed-out")).submit("/logout")),
        LOGIN_SESSION_EXPIRED(t -> t.open("/login?expired")),
        LOGIN_SERVER_BUSY(t -> t.open("/login?busy")),
        LOGIN_WHILE_SIGNED_IN(t -> t.signedIn().open("/login")),
        REGISTER(t -> t.open("/register")),
        REGISTER_WITH_ERRORS(t -> t.open("/register").submit("/register", "email", "not an address", "name", "",
                "password", "short", "confirmPassword", "other")),
        CHECK_EMAIL(t -> t.register(TestUsers.uniqueEmail("axe-register"))),
        VERIFY_EMAIL(t -> t.open(t.verificationLink())),
        EMAIL_VERIFIED(t -> t.open(t.verificationLink()).submit("/verify-email")),
        VERIFY_LINK_INVALID(t -> t.open("/verify-email?token=no-such-token")),
        VERIFY_LINK_INVALID_WITH_ERRORS(t -> t.open("/verify-email?token=no-such-token")
                .submit("/verify-email/resend", "email", "not an address")),
        VERIFICATION_RESENT(t -> t.open("/verify-email?token=no-such-token")
                .submit("/verify-email/resend", "email", TestUsers.uniqueEmail("axe-resend"))),
        FORGOT_PASSWORD(t -> t.open("/forgot-password")),
        FORGOT_PASSWORD_WITH_ERRORS(t -> t.open("/forgot-password").submit("/forgot-password", "email",
                "not an address")),
        FORGOT_PASSWORD_SENT(t -> t.open("/forgot-password").submit("/forgot-password", "email",
                TestUsers.uniqueEmail("axe-forgot"))),
        RESET_PASSWORD(t -> t.open(t.resetLink())),
        RESET_PASSWORD_WITH_ERRORS(t -> t.open(t.resetLink()).submit("/reset-password", "password", "short",
                "confirmPassword", "other")),
        PASSWORD_RESET_DONE(t -> t.open(t.resetLink()).submit("/reset-password", "password", NEW_PASSWORD,
                "confirmPassword", NEW_PASSWORD)),
        RESET_LINK_INVALID(t -> t.open("/reset-password?token=no-such-token")),
        ACCOUNT(t -> t.signedIn().open("/account")),
        ACCOUNT_SAVED(t -> t.signedIn().open("/account").submit("/account/profile", "name", "Grace Hopper")),
        ACCOUNT_PASSWORD_CHANGE_WITH_ERRORS(t -> t.signedIn().open("/account").submit("/account/password",
                "currentPassword", "", "newPassword", "short", "confirmPassword", "other")),
        ACCOUNT_EMAIL_CHANGE_WITH_ERRORS(t -> t.signedIn().open("/account").submit("/account/email", "newEmail",
                "not an address", "currentPassword", "")),
        UNDO_EMAIL_CHANGE(t -> t.open(t.undoLink())),
        EMAIL_CHANGE_UNDONE(t -> t.open(t.undoLink()).submit("/undo-email-change")),
        UNDO_LINK_INVALID(t -> t.open("/undo-email-change?token=no-such-token")),
        CONSENT(AccessibilityTest::consent),
        ERROR_400_OAUTH(t -> t.open(CodeFlow.authorizeUrl("no-such-client", CONFIDENTIAL_REDIRECT, "openid", "s", null))
                .expectStatus(400)),
        CONNECT_LOGOUT_WITHOUT_PARAMETERS(t -> t.open("/connect/logout")),
        ERROR_403_NO_CSRF_TOKEN(t -> t.open("/login").withoutCsrfToken().submit("/login", "username",
                TestUsers.uniqueEmail("nobody"), "password", "x").expectStatus(403)),
        ERROR_404(t -> t.signedIn().open("/no-such-page").expectStatus(404)),
        ERROR_404_SIGNED_OUT(t -> t.open("/no-such-page").expectStatus(404)),
        ERROR_500(t -> t.signedIn().open("/test-only/failure").expectStatus(500)),
        ERROR_503(t -> t.signedIn().open("/test-only/busy").expectStatus(503)),
        SIGN_OUT_CONFIRMATION(t -> t.signedIn().open("/connect/logout")),
        PASSWORD_CHANGE_REQUIRED(AccessibilityTest::passwordChangeRequired),
        PASSWORD_CHANGE_REQUIRED_WITH_ERRORS(t -> passwordChangeRequired(t).submit("/account/change-password",
                "currentPassword", "", "newPassword", "short", "confirmPassword", "other")),
        ERROR_405(t -> t.open("/verify-email/resend").expectStatus(405)),
        /** Refused before any application code reads the request: a plain page in English only, by design. */
        ERROR_413(t -> t.open("/login").submit("/login", "username", "x".repeat(200_000), "password", "x")
                .expectStatus(413), "en"),
        ERROR_429(AccessibilityTest::tooManyRequests),
        // issue 14, the TOTP second factor
        SECOND_FACTOR_CODE(AccessibilityTest::secondFactorCodePage),
        SECOND_FACTOR_CODE_WRONG(t -> secondFactorCodePage(t).submit("/login/second-factor", "code", "not a code")),
        SECOND_FACTOR_RECOVERY_CODE(t -> secondFactorCodePage(t).open("/login/second-factor?recovery")),
        SECOND_FACTOR_SET_UP(t -> t.signIn(t.newUser("axe-totp-start")).open("/account/second-factor")),
        SECOND_FACTOR_ENROL(AccessibilityTest::secondFactorEnrolment),
        SECOND_FACTOR_ENROL_WITH_ERRORS(t -> secondFactorEnrolment(t).submit("/account/second-factor/confirm",
                "code", "")),
        SECOND_FACTOR_RECOVERY_CODES(t -> secondFactorEnrolment(t).submit("/account/second-factor/confirm", "code",
                TestTotp.previous(t.browser.driver().findElement(By.id("manual-key")).getAttribute("data-secret")))),
        SECOND_FACTOR_MANAGE(t -> secondFactorSignedIn(t).open("/account/second-factor")),
        SECOND_FACTOR_MANAGE_WITH_ERRORS(t -> secondFactorSignedIn(t).open("/account/second-factor")
                .submit("/account/second-factor/disable", "code", "")),
        // issue 16, the claims parameter: the claims asked for by name under the scopes
        CONSENT_WITH_CLAIMS(t -> {
            t.signedIn().open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile email",
                    "s", OAuth.randomVerifier()) + "&claims=" + java.net.URLEncoder.encode(
                    "{\"userinfo\":{\"name\":null,\"email_verified\":null}}", java.nio.charset.StandardCharsets.UTF_8));
            t.browser.waitForUrl("/oauth2/consent");
        }),
        // issue 16, the device flow's activation page (io.latchkey.oauth.device)
        DEVICE_ACTIVATE(t -> t.signedIn().open("/activate")),
        DEVICE_ACTIVATE_WRONG_CODE(t -> t.signedIn().open("/activate").submit("/activate", "user_code", "AEIO-UAEI")
                .expectStatus(400)),
        DEVICE_CONSENT(AccessibilityTest::deviceConsent),
        DEVICE_DONE(t -> t.signedIn().open("/activate/done"));

        private final Consumer<AccessibilityTest> reach;
        private final String onlyLanguage;

        PageState(Consumer<AccessibilityTest> reach) {
            this(reach, null);
        }

        PageState(Consumer<AccessibilityTest> reach, String onlyLanguage) {
            this.reach = reach;
            this.onlyLanguage = onlyLanguage;
        }

        /** The language the page is in when the user chose this one. */
        String languageFor(String chosen) {
            return onlyLanguage == null ? chosen : onlyLanguage;
        }

        /** As in the screenshots' names: {@code login-wrong-password}. */
        String slug() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static Stream<Arguments> everyPageStateInEveryLanguage() {
        return Arrays.stream(PageState.values())
                .flatMap(state -> LANGUAGES.stream().map(language -> Arguments.of(state, language)));
    }

    @BeforeAll
    static void createUsers(@Autowired JdbcTemplate jdbc, @Autowired PasswordEncoder passwordEncoder) {
        passwordHash = passwordEncoder.encode(PASSWORD);
        accountEmail = TestUsers.uniqueEmail("axe-account");
        TestUsers.createWithHash(jdbc, accountEmail, passwordHash, "Grace Hopper");
        // a connected application on the account page, and scopes already granted on the consent page
        CodeFlow.run(new Browser(), CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile",
                "s", OAuth.randomVerifier()), accountEmail, PASSWORD);

        unverifiedEmail = TestUsers.uniqueEmail("axe-unverified");
        TestUsers.createWithHash(jdbc, unverifiedEmail, passwordHash, null);
        jdbc.update("UPDATE users SET email_verified = FALSE WHERE email = ?", unverifiedEmail);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("everyPageStateInEveryLanguage")
    void pageStateHasNoWcagViolations(PageState state, String language) {
        this.language = language;
        browser.open("/login?lang=" + language);

        state.reach.accept(this);

        assertThat(browser.driver().executeScript("return document.documentElement.lang"))
                .as("language of %s at %s", state, browser.currentUrl()).isEqualTo(state.languageFor(language));
        StringBuilder violations = new StringBuilder();
        // the layout is the same in every language, so each language is checked at one width and every state at
        // both: German, whose words run longest, where they could overflow (the phone's width), English on a desktop
        List<Integer> widths = List.of("en".equals(language) ? DESKTOP_WIDTH : PHONE_WIDTH);
        PageScreenshots.capture(browser.driver(), state.slug() + "-" + language, widths, width -> {
            List<AxeCore.Violation> found = AxeCore.violations(browser.driver(), AxeCore.WCAG_22_A_AA);
            if (!found.isEmpty()) {
                violations.append("at ").append(width).append(" px:\n").append(AxeCore.describe(found)).append('\n');
            }
        });
        assertThat(violations).as("WCAG 2.2 A/AA violations on %s (%s) at %s", state, language, browser.currentUrl())
                .isEmpty();
    }

    /** The check itself works under the pages' Content-Security-Policy: a page with a flaw fails it. */
    @Test
    void axeFindsAFlawAddedToAPage() {
        browser.open("/login").waitFor(By.id("sign-in"));
        browser.driver().executeScript("const image = document.createElement('img');"
                + " image.src = '/static/latchkey-logo.svg'; document.querySelector('main').appendChild(image);");

        assertThat(AxeCore.violations(browser.driver(), AxeCore.WCAG_22_A_AA)).extracting(AxeCore.Violation::id)
                .containsExactly("image-alt");
    }

    private AccessibilityTest open(String pathOrUrl) {
        browser.open(pathOrUrl);
        return this;
    }

    /**
     * Fills the form that posts to {@code action} (name, value, name, value...) and submits it with the browser's
     * own validation off, as a user whose browser let anything through would, then waits for the next page.
     */
    private AccessibilityTest submit(String action, String... namesAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        Object found = browser.driver().executeScript("""
                const form = Array.from(document.forms).find(f => f.getAttribute('action') === arguments[0]);
                if (!form) return false;
                for (const [name, value] of Object.entries(arguments[1])) form.elements[name].value = value;
                window.leavingThisPage = true;
                form.noValidate = true;
                form.requestSubmit();
                return true;
                """, action, values);
        assertThat(found).as("a form posting to %s on %s", action, browser.currentUrl()).isEqualTo(Boolean.TRUE);
        new WebDriverWait(browser.driver(), Duration.ofSeconds(15), Duration.ofMillis(50))
                .ignoring(WebDriverException.class)
                .withMessage(() -> "no new page after posting to " + action + ", still at " + browser.currentUrl())
                .until(driver -> Boolean.TRUE.equals(browser.driver().executeScript(
                        "return window.leavingThisPage === undefined && document.readyState === 'complete'")));
        return this;
    }

    /** Drops the CSRF token from every form on the page, as a page kept open past its session would post. */
    private AccessibilityTest withoutCsrfToken() {
        browser.driver().executeScript("document.querySelectorAll('input[name=_csrf]').forEach(i => i.remove())");
        return this;
    }

    /** The status of the page the browser shows (Chromium's navigation timing has it). */
    private AccessibilityTest expectStatus(int status) {
        assertThat(browser.driver().executeScript(
                "return performance.getEntriesByType('navigation')[0].responseStatus"))
                .as("status of %s", browser.currentUrl()).isEqualTo((long) status);
        return this;
    }

    private AccessibilityTest signIn(String email) {
        open("/login").submit("/login", "username", email, "password", PASSWORD);
        browser.waitForUrl("/account");
        return this;
    }

    /**
     * Signed in as {@link #accountEmail}: with the cookies of an earlier sign-in (the language cookie left as it
     * is), or by signing in, whose new cookies are kept for the next time.
     */
    private AccessibilityTest signedIn() {
        if (accountSession.isEmpty()) {
            Set<Cookie> before = browser.driver().manage().getCookies();
            signIn(accountEmail);
            Set<Cookie> after = new HashSet<>(browser.driver().manage().getCookies());
            after.removeAll(before);
            accountSession = after;
        }
        else {
            accountSession.forEach(browser.driver().manage()::addCookie);
        }
        return this;
    }

    /** A new verified user with {@link #PASSWORD}; its email. */
    /** Signed in as a user whose password must be replaced first (as a first admin's generated one). */
    private static AccessibilityTest passwordChangeRequired(AccessibilityTest test) {
        String email = test.newUser("axe-must-change");
        test.jdbc.update("UPDATE users SET password_change_required = TRUE WHERE email = ?", email);
        test.open("/login").submit("/login", "username", email, "password", PASSWORD);
        test.browser.waitForUrl("/account/change-password");
        return test;
    }

    /** A new user with an authenticator app, after the right password: on the code page. */
    private static AccessibilityTest secondFactorCodePage(AccessibilityTest test) {
        String email = test.newUser("axe-totp");
        UUID userId = test.jdbc.queryForObject("SELECT id FROM users WHERE email = ?", UUID.class, email);
        test.enrolled = TestTotp.enrol(test.secondFactor, userId);
        test.open("/login").submit("/login", "username", email, "password", PASSWORD);
        test.browser.waitForUrl("/login/second-factor");
        return test;
    }

    /** Signed in with a password and a code. */
    private static AccessibilityTest secondFactorSignedIn(AccessibilityTest test) {
        secondFactorCodePage(test).submit("/login/second-factor", "code", TestTotp.current(test.enrolled.secret()));
        test.browser.waitForUrl("/account");
        return test;
    }

    /** A new user setting up an authenticator app: the QR code and the manual key. */
    private static AccessibilityTest secondFactorEnrolment(AccessibilityTest test) {
        return test.signIn(test.newUser("axe-totp-enrol")).open("/account/second-factor")
                .submit("/account/second-factor/start");
    }

    private String newUser(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        TestUsers.createWithHash(jdbc, email, passwordHash, null);
        return email;
    }

    private AccessibilityTest register(String email) {
        return open("/register").submit("/register", "email", email, "name", "Ada Lovelace", "password", PASSWORD,
                "confirmPassword", PASSWORD);
    }

    /** A link to verify a new user's address, as a user who never got the first mail asks for it again. */
    private String verificationLink() {
        String email = newUser("axe-verify");
        jdbc.update("UPDATE users SET email_verified = FALSE WHERE email = ?", email);
        open("/verify-email?token=no-such-token").submit("/verify-email/resend", "email", email);
        return TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/verify-email?token=");
    }

    /** A new user's password-reset link. */
    private String resetLink() {
        String email = newUser("axe-reset");
        open("/forgot-password").submit("/forgot-password", "email", email);
        return TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/reset-password?token=");
    }

    /** The undo link in the notice to a new user's old address, sent once the new address is confirmed. */
    private String undoLink() {
        String email = newUser("axe-old");
        String newEmail = TestUsers.uniqueEmail("axe-new");
        signIn(email).submit("/account/email", "newEmail", newEmail, "currentPassword", PASSWORD);
        open(TestMailbox.link(TestMailbox.awaitMessage(newEmail, 1), ISSUER + "/verify-email?token="))
                .submit("/verify-email");
        browser.driver().manage().deleteAllCookies();
        open("/login?lang=" + language);
        return TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/undo-email-change?token=");
    }

    private void loginForAnApplication() {
        open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile email", "s",
                OAuth.randomVerifier()));
        browser.waitForUrl("/login");
    }

    /** A device asks for openid and email; the signed-in user types its code and sees the consent step. */
    private void deviceConsent() {
        synchronized (AccessibilityTest.class) {
            if (deviceClient == null) {
                deviceClient = clientAdministration.create(null, new io.latchkey.client.ClientDraft("Living-room TV",
                        false, List.of("urn:ietf:params:oauth:grant-type:device_code"), null, null,
                        List.of("openid", "email"), null, null, null, null, null, null, null),
                        io.latchkey.client.ClientAdministration.ADMINISTERED, "test").client().clientId();
            }
        }
        Browser.Response started = new Browser().postForm("/oauth2/device_authorization",
                Map.of("client_id", deviceClient, "scope", "openid email"), "Accept", "application/json");
        String userCode = OAuth.json(started).get("user_code").asString();
        signedIn().open("/activate").submit("/activate", "user_code", userCode);
        browser.waitForUrl("/activate/consent");
    }

    /** Asks for email on top of the profile the account user granted before: both lists show. */
    private void consent() {
        signedIn().open(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid profile email",
                "s", OAuth.randomVerifier()));
        browser.waitForUrl("/oauth2/consent");
    }

    /**
     * Password-reset requests from one address of its own (no other test uses 100.64/10) up to the limit, then one
     * more in the browser. The proxy header is believed from loopback in tests only.
     */
    private void tooManyRequests() {
        String address = io.latchkey.support.TestAddresses.unique();
        Browser http = new Browser();
        for (int i = 0; i < RATE_LIMIT_MAIL_REQUESTS_PER_IP; i++) {
            String csrf = http.get("/forgot-password").csrf();
            http.postForm("/forgot-password", Map.of("email", TestUsers.uniqueEmail("axe-limit"), "_csrf", csrf),
                    "X-Forwarded-For", address);
        }
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver().executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("X-Forwarded-For", address)));
        try {
            open("/forgot-password").submit("/forgot-password", "email", TestUsers.uniqueEmail("axe-limit"));
            expectStatus(429);
        }
        finally {
            browser.driver().executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
        }
    }
}
