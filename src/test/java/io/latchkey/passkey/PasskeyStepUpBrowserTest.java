package io.latchkey.passkey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.support.Browser;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What passkeys add to step-up, to the passkey sign-in's rate limit and to a passwordless account's page, in a real
 * headless Chromium with its virtual authenticator against a Latchkey whose issuer is {@code http://localhost:<port>}
 * (set up like {@link PasskeyBrowserTest}).
 */
class PasskeyStepUpBrowserTest {

    private static final String PASSWORD = "passkey step-up password 42";
    private static final String PHISHING_RESISTANT = "urn:latchkey:acr:phishing-resistant";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @RegisterExtension
    static final LocalhostPasskeyServer server = new LocalhostPasskeyServer();

    @RegisterExtension
    final PasskeyBrowserSteps steps = new PasskeyBrowserSteps(browser, server, PASSWORD);

    @Test
    void aPasswordSessionStepsUpToPhishingResistantWithAPasskeyAndTheTokenSaysSo() {
        String email = TestUsers.uniqueEmail("stepkey");
        UUID userId = steps.createUser(email, "Ada Stepkey");
        steps.signInWithPassword(email);
        steps.addPasskey("Laptop");

        // signed in by password, no TOTP: the application asks for a phishing-resistant sign-in
        String verifier = OAuth.randomVerifier();
        String state = "state-" + UUID.randomUUID();
        browser.open(authorizeUrl(state, verifier, "acr_values", PHISHING_RESISTANT));
        browser.waitForUrl(server.base() + "/login/second-factor");
        assertThat(browser.waitFor(By.id("passkey-sign-in")).getText()).isEqualTo("Use a passkey");
        assertThat(browser.elements(By.id("code"))).isEmpty();
        assertThat(browser.elements(By.id("use-recovery-code"))).isEmpty();
        assertThat(browser.element(By.tagName("h1")).getText()).isEqualTo("Confirm it is you");
        steps.assertAccessible("step-up page offering a passkey only");
        // the code form is not there to be posted to either
        Map<String, Object> code = PasskeyScripts.postForm(browser, "/login/second-factor", Map.of("code", "123456"));
        assertThat(String.valueOf(code.get("url"))).isEqualTo(server.base() + "/login/second-factor");

        browser.element(By.id("passkey-sign-in")).click();
        browser.waitForUrl(server.base() + "/oauth2/consent");
        browser.waitFor(By.id("submit-consent")).click();
        Map<String, String> callback = browser.waitForRedirectTo(CONFIDENTIAL_REDIRECT);
        assertThat(callback.get("state")).isEqualTo(state);

        String claims = idTokenClaims(callback.get("code"), verifier);
        assertThat(claims).contains("\"sub\":\"" + userId + "\"", "\"acr\":\"" + PHISHING_RESISTANT + "\"",
                "\"mfa\"");
        assertThat(claims).containsAnyOf("\"hwk\"", "\"swk\"");
        assertThat(claims).doesNotContain("\"pwd\"");

        // the session is now a passkey sign-in: the step-up page has nothing more to offer
        browser.open(server.base() + "/login/second-factor");
        browser.waitForUrl(server.base() + "/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);
    }

    @Test
    void aTotpUserWithAPasskeyIsOfferedBothAfterThePasswordAndThePasskeyFinishesTheSignIn() {
        String email = TestUsers.uniqueEmail("stepkey-totp");
        UUID userId = steps.userWithPasskey(email, "Phone");
        TestTotp.enrol(server.bean(TotpSecondFactor.class), userId);

        browser.open(server.base() + "/login");
        browser.signIn(email, PASSWORD);
        browser.waitForUrl(server.base() + "/login/second-factor");
        assertThat(browser.waitFor(By.id("code")).getDomAttribute("autocomplete")).isEqualTo("one-time-code");
        assertThat(browser.element(By.id("passkey-sign-in")).getText()).isEqualTo("Use a passkey");
        steps.assertAccessible("code page offering a passkey too");

        browser.element(By.id("passkey-sign-in")).click();
        browser.waitForUrl(server.base() + "/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);
        // the password step is over: the code page does not ask for its code any more
        browser.open(server.base() + "/login/second-factor");
        browser.waitForUrl(server.base() + "/account");
        assertThat(browser.elements(By.id("code"))).isEmpty();
    }

    @Test
    void aPasskeyOfAnotherAccountIsRefusedOnTheStepUpPageAndTheSessionStaysAsItWas() {
        String ownerEmail = TestUsers.uniqueEmail("stepkey-owner");
        UUID owner = steps.userWithPasskey(ownerEmail, "Owner key");
        String otherEmail = TestUsers.uniqueEmail("stepkey-other");
        UUID other = steps.createUser(otherEmail, null);
        steps.signInWithPassword(otherEmail);
        steps.addPasskey("Other key");

        browser.open(authorizeUrl("st", OAuth.randomVerifier(), "acr_values", PHISHING_RESISTANT));
        browser.waitForUrl(server.base() + "/login/second-factor");
        browser.waitFor(By.id("passkey-sign-in"));
        // a signed-in session is asked for its own account's passkeys only
        String options = PasskeyScripts.text(PasskeyScripts.run(browser,
                "post('/webauthn/authenticate/options').then(r => done(r.body), fail);"));
        assertThat(options).contains(credentialIdOf(other)).doesNotContain(credentialIdOf(owner));
        // the device answers with another account's passkey all the same: refused, nobody else signed in
        Map<String, Object> answer = PasskeyScripts.post(browser, "/login/webauthn", assertionOf(owner));
        assertThat(answer).containsEntry("status", 401L);
        assertThat(String.valueOf(answer.get("body"))).isEqualTo("{\"error\":\"passkey_not_accepted\"}");

        browser.open(server.base() + "/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(otherEmail);
        assertThat(count("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND type = 'PASSKEY_SIGNED_IN'", owner))
                .isZero();
    }

    @Test
    void passkeySignInsCountAgainstTheClientIpsSignInLimit() {
        String email = TestUsers.uniqueEmail("stepkey-limit");
        UUID userId = steps.userWithPasskey(email, "Key");
        int auditedBefore = rateLimitedAudits();

        // loopback is exempt in tests; an address sent by the (trusted) loopback proxy is not
        String limitedIp = "198.51.100." + (1 + (int) (Math.random() * 250));
        String refused = assertionOf(userId).replaceAll("\"signature\":\"[^\"]+\"", "\"signature\":\"AAAA\"");
        for (int attempt = 0; attempt < TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP; attempt++) {
            Map<String, Object> answer = postFrom(limitedIp, refused, true);
            assertThat(answer).as("attempt %d", attempt).containsEntry("status", 401L);
        }
        // over the limit even a right assertion is not checked
        Map<String, Object> limited = postFrom(limitedIp, assertionOf(userId), false);
        assertThat(limited).containsEntry("status", 429L);
        assertThat(String.valueOf(limited.get("body"))).isEqualTo("{\"error\":\"too_many_attempts\"}");
        assertThat(String.valueOf(limited.get("type"))).startsWith("application/json");
        assertThat(Long.parseLong(String.valueOf(limited.get("retryAfter")))).isPositive();
        assertThat(rateLimitedAudits()).isEqualTo(auditedBefore + 1);
        browser.open(server.base() + "/account");
        browser.waitForUrl(server.base() + "/login");

        // a right assertion from another address signs in
        Map<String, Object> elsewhere = postFrom(io.latchkey.support.TestAddresses.unique(), assertionOf(userId),
                false);
        assertThat(elsewhere).containsEntry("status", 200L);
        browser.open(server.base() + "/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);
    }

    @Test
    void aPasswordlessAccountPageOffersALinkToSetAPasswordInsteadOfTheChangeForm() {
        String email = TestUsers.uniqueEmail("stepkey-nopass");
        UUID userId = steps.createUser(email, "Nora Nopass");
        steps.signInWithPassword(email);
        assertThat(browser.elements(By.id("change-password"))).hasSize(1);
        assertThat(browser.elements(By.id("change-email"))).hasSize(1);
        assertThat(browser.elements(By.id("passwordless-account-note"))).isEmpty();
        assertThat(browser.elements(By.id("email-needs-password"))).isEmpty();
        steps.addPasskey("Only key");
        browser.open(server.base() + "/account/passkeys");
        browser.waitFor(By.id("remove-password")).click();
        browser.waitForUrl(server.base() + "/account/passkeys?saved=passwordRemoved");
        steps.signOut();

        browser.open(server.base() + "/login");
        browser.waitFor(By.id("passkey-sign-in")).click();
        browser.waitForUrl(server.base() + "/account");
        assertThat(browser.elements(By.id("change-password"))).isEmpty();
        assertThat(browser.element(By.id("passwordless-account-note")).getText()).contains("no password");
        // the email change asks for the current password, which the account does not have
        assertThat(browser.elements(By.id("change-email"))).isEmpty();
        assertThat(browser.element(By.id("email-needs-password")).getText()).contains("set a password first");
        assertThat(browser.element(By.id("set-password-form")).getText()).isEqualTo("Send me a link to set a password");
        steps.assertAccessible("account page of a passwordless account");
        browser.open(server.base() + "/account?lang=de");
        assertThat(browser.waitFor(By.id("passwordless-account-note")).getText()).contains("kein Passwort");
        steps.assertAccessible("account page of a passwordless account, German");
        browser.open(server.base() + "/account?lang=en");

        int mailsBefore = TestMailbox.messagesTo(email).size();
        browser.waitFor(By.id("send-set-password-link")).click();
        browser.waitFor(By.id("forgot-password-sent"));
        String link = TestMailbox.link(TestMailbox.awaitMessage(email, mailsBefore + 1),
                server.base() + "/reset-password?token=");
        assertThat(link).contains("token=");
        assertThat(server.jdbc().queryForObject("SELECT password_hash IS NULL FROM users WHERE id = ?", Boolean.class,
                userId))
                .isTrue();
    }

    /**
     * POSTs a passkey assertion as the given client IP (sent in X-Forwarded-For, believed from loopback in tests),
     * after asking for a new challenge when {@code newChallenge} (without one in the session the assertion is refused
     * before it is checked).
     */
    private Map<String, Object> postFrom(String clientIp, String body, boolean newChallenge) {
        return PasskeyScripts.run(browser, """
                (arguments[2] ? post('/webauthn/authenticate/options') : Promise.resolve()).then(() =>
                fetch('/login/webauthn', { method: 'POST', body: arguments[1], headers: { 'Content-Type':
                        'application/json', 'X-CSRF-TOKEN': csrf(), 'X-Forwarded-For': arguments[0] } })
                    .then(async r => done({ status: r.status, type: r.headers.get('content-type'),
                        retryAfter: r.headers.get('Retry-After'), body: await r.text() })), fail);
                """, clientIp, body, newChallenge);
    }

    private String assertionOf(UUID userId) {
        browser.open(server.base() + "/login");
        browser.waitFor(By.id("passkey-sign-in"));
        return steps.assertionOf(userId);
    }

    private String idTokenClaims(String code, String verifier) {
        Browser.Response tokens = OAuth.post(new Browser(server.base()), "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", CONFIDENTIAL_REDIRECT,
                        "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        String idToken = OAuth.json(tokens).get("id_token").asString();
        return new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    private String authorizeUrl(String state, String verifier, String... extra) {
        String url = CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid email", state, verifier,
                extra);
        return server.base() + url.substring(url.indexOf("/oauth2/"));
    }

    private static String credentialIdOf(UUID userId) {
        return server.credentialIdOf(userId);
    }

    private static int count(String sql, Object... args) {
        return server.count(sql, args);
    }

    private static int rateLimitedAudits() {
        Integer count = server.jdbc().queryForObject(
                "SELECT COUNT(*) FROM audit_events WHERE type = 'PASSKEY_SIGN_IN_FAILED'"
                + " AND details LIKE '%rate_limited%'", Integer.class);
        return count == null ? 0 : count;
    }
}
