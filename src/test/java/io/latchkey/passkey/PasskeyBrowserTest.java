package io.latchkey.passkey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import io.latchkey.support.Browser;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys in a real headless Chromium with its virtual authenticator (CTAP2, internal, resident keys, user
 * verification), against a Latchkey whose issuer is {@code http://localhost:<port>}: a secure context for Chromium
 * and a host name WebAuthn accepts as relying party id (the shared test server's issuer is an IP address, which
 * switches passkeys off).
 */
class PasskeyBrowserTest {

    private static final String PASSWORD = "passkey test password 42";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @RegisterExtension
    static final LocalhostPasskeyServer server = new LocalhostPasskeyServer();

    @RegisterExtension
    final PasskeyBrowserSteps steps = new PasskeyBrowserSteps(browser, server, PASSWORD);

    @Test
    void registerSignInWithoutUsernameFinishACodeFlowThenDeleteIt() throws Exception {
        String email = TestUsers.uniqueEmail("passkey");
        UUID userId = steps.createUser(email, "Ada Passkey");

        steps.signInWithPassword(email);
        steps.addPasskey("Work laptop");
        assertThat(browser.element(By.cssSelector("#passkey-0 .passkey-name")).getText()).isEqualTo("Work laptop");
        assertThat(browser.element(By.cssSelector("#passkey-0 .passkey-last-used")).getText()).isEqualTo("not used yet");
        assertThat(server.jdbc().queryForObject("SELECT name FROM passkey_credentials WHERE user_id = ?", String.class,
                userId))
                .isEqualTo("Work laptop");
        assertThat(TestMailbox.subject(TestMailbox.awaitMessage(email, 1))).isEqualTo("A passkey was added to your account");
        // a discoverable credential under the account's random user handle (never the user id)
        byte[] handle = server.jdbc().queryForObject("SELECT user_handle FROM passkey_user_entities WHERE user_id = ?",
                byte[].class, userId);
        assertThat(steps.authenticator().getCredentials()).singleElement().satisfies(credential -> {
            assertThat(credential.isResidentCredential()).isTrue();
            assertThat(credential.getUserHandle()).isEqualTo(handle);
        });
        assertThat(new String(handle, StandardCharsets.ISO_8859_1)).doesNotContain(userId.toString());
        steps.signOut();

        // an application asks for a sign-in; the user picks the passkey and types nothing
        String verifier = OAuth.randomVerifier();
        String state = "state-" + UUID.randomUUID();
        browser.open(onLocalhost(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid email", state,
                verifier)));
        browser.waitForUrl(server.base() + "/login");
        assertThat(browser.element(By.id("username")).getDomAttribute("autocomplete")).isEqualTo("username webauthn");
        browser.waitFor(By.id("passkey-sign-in")).click();
        browser.waitForUrl(server.base() + "/oauth2/consent");
        browser.waitFor(By.id("submit-consent")).click();
        Map<String, String> callback = browser.waitForRedirectTo(CONFIDENTIAL_REDIRECT);
        assertThat(callback.get("state")).isEqualTo(state);

        Browser.Response tokens = OAuth.post(new Browser(server.base()), "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.get("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        String idToken = OAuth.json(tokens).get("id_token").asString();
        String claims = new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"" + userId + "\"");
        assertThat(server.jdbc().queryForObject("SELECT last_used_at IS NOT NULL FROM passkey_credentials WHERE user_id = ?",
                Boolean.class, userId)).isTrue();
        assertThat(auditCount(userId, "PASSKEY_SIGNED_IN")).isEqualTo(1);

        // still signed in with the passkey: delete it
        browser.open(server.base() + "/account/passkeys");
        assertThat(browser.element(By.cssSelector("#passkey-0 .passkey-last-used")).getText()).startsWith("last used");
        browser.waitFor(By.id("delete-passkey-0")).click();
        browser.waitForUrl(server.base() + "/account/passkeys?saved=deleted");
        assertThat(browser.elements(By.id("no-passkeys"))).hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM passkey_credentials WHERE user_id = ?", userId)).isZero();
        assertThat(TestMailbox.subject(TestMailbox.awaitMessage(email, 2))).isEqualTo("A passkey was removed from your account");
        steps.signOut();

        // the authenticator still has it, the server no longer knows it
        browser.open(server.base() + "/login");
        browser.waitFor(By.id("passkey-sign-in")).click();
        browser.waitFor(By.cssSelector("#passkey-error:not([hidden])"));
        assertThat(browser.element(By.id("passkey-error")).getText()).contains("did not work");
        steps.assertAccessible("login page after a refused passkey");
        assertThat(browser.currentUrl()).startsWith(server.base() + "/login");
        browser.open(server.base() + "/account");
        browser.waitForUrl(server.base() + "/login");
        assertThat(auditCount(null, "PASSKEY_SIGN_IN_FAILED")).isPositive();
        assertThat(browser.consoleErrors()).filteredOn(message -> !message.contains("401")).isEmpty();
        assertThat(auditCount(userId, "PASSKEY_REGISTERED")).isEqualTo(1);
        assertThat(auditCount(userId, "PASSKEY_DELETED")).isEqualTo(1);
    }

    @Test
    void aPasswordlessAccountSignsInWithItsPasskeyOnly() {
        String email = TestUsers.uniqueEmail("passwordless");
        UUID userId = steps.createUser(email, null);

        steps.signInWithPassword(email);
        steps.addPasskey("Phone");
        steps.assertAccessible("passkeys page with a passkey");
        browser.open(server.base() + "/account/passkeys?lang=de&error=name");
        steps.assertAccessible("passkeys page, German, with an error");
        browser.open(server.base() + "/account/passkeys?lang=en");
        browser.waitFor(By.id("remove-password")).click();
        browser.waitForUrl(server.base() + "/account/passkeys?saved=passwordRemoved");
        assertThat(browser.elements(By.id("passwordless-note"))).hasSize(1);
        assertThat(server.jdbc().queryForObject("SELECT password_hash IS NULL FROM users WHERE id = ?", Boolean.class,
                userId))
                .isTrue();
        assertThat(auditCount(userId, "PASSWORD_REMOVED")).isEqualTo(1);
        assertThat(TestMailbox.subject(TestMailbox.awaitMessage(email, 2))).isEqualTo("The password of your account was removed");

        // the last passkey of a passwordless account stays, and the page says why
        assertThat(browser.elements(By.id("delete-passkey-0"))).isEmpty();
        assertThat(browser.element(By.id("last-passkey-note")).getText()).contains("cannot be deleted");
        steps.assertAccessible("passkeys page of a passwordless account");
        String id = credentialIdOf(userId);
        Map<String, Object> forced = PasskeyScripts.postForm(browser, "/account/passkeys/delete", Map.of("id", id));
        assertThat(String.valueOf(forced.get("url"))).endsWith("/account/passkeys?error=lastPasskey");
        assertThat(count("SELECT COUNT(*) FROM passkey_credentials WHERE user_id = ?", userId)).isEqualTo(1);
        steps.signOut();

        browser.open(server.base() + "/login");
        browser.signIn(email, PASSWORD);
        browser.waitForUrl(server.base() + "/login?error");

        browser.open(server.base() + "/login");
        browser.waitFor(By.id("passkey-sign-in")).click();
        browser.waitForUrl(server.base() + "/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);
        // the account page lists the passkey sign-in with the others
        assertThat(browser.elements(By.cssSelector(".sign-ins .sign-in-line"))).hasSizeGreaterThanOrEqualTo(2);
        steps.signOut();

        // passkey autofill: the page offers the passkey in the email field and signs in once it is picked
        steps.allowAutofill();
        browser.open(server.base() + "/login");
        browser.waitForUrl(server.base() + "/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(email);
    }

    @Test
    void badRegistrationsAreRefusedWithJsonAndStoreNothing() {
        String email = TestUsers.uniqueEmail("passkey-bad");
        UUID userId = steps.createUser(email, "Eve Tester");
        steps.signInWithPassword(email);
        browser.open(server.base() + "/account/passkeys");
        browser.waitFor(By.id("add-passkey"));

        // the authenticator is shown the email and name, not the user id
        String options = PasskeyScripts.registrationOptions(browser);
        assertThat(options).contains("\"name\":\"" + email + "\"", "\"displayName\":\"Eve Tester\"",
                "\"residentKey\":\"required\"", "\"userVerification\":\"required\"")
                .doesNotContain(userId.toString());

        String credential = PasskeyScripts.newCredential(browser);
        assertRefused("/webauthn/register", "{not json", 400, "malformed_json");
        assertRefused("/webauthn/register", "[1,2]", 400, "malformed_json");
        assertRefused("/webauthn/register", "{\"publicKey\":\"x\"}", 400, "malformed_credential");
        assertRefused("/webauthn/register", "{\"publicKey\":{\"label\":\"ok\",\"credential\":{\"rawId\":5}}}", 400,
                "malformed_credential");
        for (String hostile : new String[] { "<script>alert(1)</script>", "name\u0000with null", "", "   ",
                "x".repeat(65), "line\nbreak" }) {
            assertRefused("/webauthn/register", PasskeyScripts.registration(credential, hostile), 400, "invalid_name");
        }
        assertRefused("/webauthn/register", "{\"publicKey\":{\"label\":\"" + "x".repeat(40_000) + "\"}}", 413,
                "too_large");
        Map<String, Object> huge = PasskeyScripts.post(browser, "/webauthn/register", "{\"a\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(huge).containsEntry("status", 413L);
        assertThat(String.valueOf(huge.get("type"))).startsWith("application/json");

        // a credential made for a challenge that is no longer the session's (stale), then for none (consumed)
        String stale = PasskeyScripts.newCredential(browser);
        PasskeyScripts.registrationOptions(browser);
        assertRefused("/webauthn/register", PasskeyScripts.registration(stale, "Stale"), 400, "credential_not_accepted");
        assertRefused("/webauthn/register", PasskeyScripts.registration(stale, "Replayed"), 400,
                "no_registration_in_progress");

        // from another origin: clientDataJSON says so (a "none" attestation signs nothing, so only the origin is wrong)
        String fresh = PasskeyScripts.newCredential(browser);
        String wrongOrigin = withClientData(fresh, data -> data.replace("\"origin\":\"" + server.base() + "\"",
                "\"origin\":\"https://evil.example\""));
        assertRefused("/webauthn/register", PasskeyScripts.registration(wrongOrigin, "Evil"), 400,
                "credential_not_accepted");

        // Spring Security's own removal endpoint is not offered
        Map<String, Object> removal = PasskeyScripts.run(browser, """
                fetch('/webauthn/register/abc', { method: 'DELETE', headers: { 'X-CSRF-TOKEN': csrf() } })
                    .then(async r => done({ status: r.status, body: await r.text() }), fail);
                """);
        assertThat(removal).containsEntry("status", 405L);
        assertThat(count("SELECT COUNT(*) FROM passkey_credentials WHERE user_id = ?", userId)).isZero();

        // the same credential, sent right, is stored once; sending it again is refused
        String good = PasskeyScripts.newCredential(browser);
        Map<String, Object> stored = PasskeyScripts.post(browser, "/webauthn/register",
                PasskeyScripts.registration(good, "Good one"));
        assertThat(stored).containsEntry("status", 200L);
        assertRefused("/webauthn/register", PasskeyScripts.registration(good, "Good again"), 400,
                "no_registration_in_progress");
        assertThat(count("SELECT COUNT(*) FROM passkey_credentials WHERE user_id = ?", userId)).isEqualTo(1);

        // renaming to markup or nothing is refused on the page; nothing changes
        browser.open(server.base() + "/account/passkeys");
        String id = credentialIdOf(userId);
        for (String hostile : new String[] { "<img src=x onerror=alert(1)>", "", "a\u0000b", "x".repeat(200) }) {
            Map<String, Object> renamed = PasskeyScripts.postForm(browser, "/account/passkeys/rename",
                    Map.of("id", id, "name", hostile));
            assertThat(String.valueOf(renamed.get("url"))).endsWith("/account/passkeys?error=name");
        }
        Map<String, Object> unknown = PasskeyScripts.postForm(browser, "/account/passkeys/delete",
                Map.of("id", "AAAA' OR 1=1 --"));
        assertThat(String.valueOf(unknown.get("url"))).endsWith("/account/passkeys?error=notFound");
        assertThat(server.jdbc().queryForObject("SELECT name FROM passkey_credentials WHERE user_id = ?", String.class,
                userId))
                .isEqualTo("Good one");
        browser.open(server.base() + "/account/passkeys?error=%3Cscript%3E&saved=x");
        assertThat(browser.elements(By.id("page-error"))).isEmpty();
        assertThat(browser.elements(By.id("saved"))).isEmpty();
    }

    @Test
    void badSignInsAreRefusedWithJsonAndSignNobodyIn() {
        String victimEmail = TestUsers.uniqueEmail("passkey-victim");
        UUID victim = steps.userWithPasskey(victimEmail, "Victim key");
        String attackerEmail = TestUsers.uniqueEmail("passkey-attacker");
        UUID attacker = steps.userWithPasskey(attackerEmail, "Attacker key");
        // the authenticator holds both passkeys; the next assertion is for the one of whoever is asked
        String victimCredential = credentialIdOf(victim);
        String victimHandle = Base64.getUrlEncoder().withoutPadding().encodeToString(server.jdbc().queryForObject(
                "SELECT user_handle FROM passkey_user_entities WHERE user_id = ?", byte[].class, victim));

        browser.open(server.base() + "/login");
        browser.waitFor(By.id("passkey-sign-in"));
        assertRefused("/login/webauthn", "{not json", 400, "malformed_json");
        assertRefused("/login/webauthn", "\"just a string\"", 400, "malformed_json");
        assertRefused("/login/webauthn", "{\"id\":\"x\\u0000\",\"rawId\":\"<script>\"}", 401, "passkey_not_accepted");
        assertRefused("/login/webauthn", "{\"id\":\"" + "A".repeat(40_000) + "\"}", 413, "too_large");
        assertRefused("/login/webauthn", "{\"id\":\"abc\",\"rawId\":\"abc\",\"response\":{}}", 401,
                "passkey_not_accepted");

        // the attacker's own assertion made to claim the victim's credential or user handle
        String attackerAssertion = steps.assertionOf(attacker);
        String claimsVictimCredential = attackerAssertion.replaceAll("\"rawId\":\"[^\"]+\"",
                "\"rawId\":\"" + victimCredential + "\"").replaceAll("\"id\":\"[^\"]+\"",
                "\"id\":\"" + victimCredential + "\"");
        assertRefused("/login/webauthn", claimsVictimCredential, 401, "passkey_not_accepted");
        String attackerAssertion2 = steps.assertionOf(attacker);
        String claimsVictimHandle = attackerAssertion2.replaceAll("\"userHandle\":\"[^\"]+\"",
                "\"userHandle\":\"" + victimHandle + "\"");
        assertRefused("/login/webauthn", claimsVictimHandle, 401, "passkey_not_accepted");
        // signed client data changed after signing: another origin
        String tampered = withClientData(steps.assertionOf(attacker), data -> data.replace(
                "\"origin\":\"" + server.base() + "\"",
                "\"origin\":\"https://evil.example\""));
        assertRefused("/login/webauthn", tampered, 401, "passkey_not_accepted");
        // an assertion for a challenge that is no longer the session's
        String stale = steps.assertionOf(attacker);
        PasskeyScripts.run(browser, "post('/webauthn/authenticate/options').then(done, fail);");
        assertRefused("/login/webauthn", stale, 401, "passkey_not_accepted");
        browser.open(server.base() + "/account");
        browser.waitForUrl(server.base() + "/login");

        // a good one signs in once; replayed, it is refused
        browser.waitFor(By.id("passkey-sign-in"));
        String good = steps.assertionOf(attacker);
        Map<String, Object> signedIn = PasskeyScripts.post(browser, "/login/webauthn", good);
        assertThat(signedIn).containsEntry("status", 200L);
        assertThat(String.valueOf(signedIn.get("body"))).contains("\"authenticated\":true");
        browser.open(server.base() + "/login");
        browser.waitFor(By.id("username"));
        assertRefused("/login/webauthn", good, 401, "passkey_not_accepted");
        // the refused replay changed nothing: the session is the one the good assertion signed in
        browser.open(server.base() + "/account");
        assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo(attackerEmail);
        steps.signOut();
        assertThat(count("SELECT COUNT(*) FROM passkey_credentials WHERE user_id IN (?, ?)", victim, attacker))
                .isEqualTo(2);

        // a disabled account's passkey signs nobody in
        server.jdbc().update("UPDATE users SET enabled = FALSE WHERE id = ?", attacker);
        browser.waitFor(By.id("passkey-sign-in"));
        assertRefused("/login/webauthn", steps.assertionOf(attacker), 401, "passkey_not_accepted");
        browser.open(server.base() + "/account");
        browser.waitForUrl(server.base() + "/login");

        // not signed in: no registration
        browser.waitFor(By.id("username"));
        assertRefused("/webauthn/register/options", "", 401, "not_signed_in");
        assertRefused("/webauthn/register", "{}", 401, "not_signed_in");
    }

    private void assertRefused(String path, String body, long status, String error) {
        Map<String, Object> answer = PasskeyScripts.post(browser, path, body);
        assertThat(answer).as(path + " " + abbreviated(body)).containsEntry("status", status);
        assertThat(String.valueOf(answer.get("type"))).as(path).startsWith("application/json");
        assertThat(String.valueOf(answer.get("body"))).as(path).isEqualTo("{\"error\":\"" + error + "\"}");
    }

    private static String abbreviated(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }

    /** The credential JSON with its clientDataJSON (base64url of JSON) changed by {@code change}. */
    private static String withClientData(String credentialJson, java.util.function.UnaryOperator<String> change) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"clientDataJSON\":\"([^\"]+)\"")
                .matcher(credentialJson);
        assertThat(matcher.find()).isTrue();
        String data = new String(Base64.getUrlDecoder().decode(matcher.group(1)), StandardCharsets.UTF_8);
        String changed = change.apply(data);
        assertThat(changed).isNotEqualTo(data);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(changed.getBytes(StandardCharsets.UTF_8));
        return credentialJson.substring(0, matcher.start(1)) + encoded + credentialJson.substring(matcher.end(1));
    }

    private String onLocalhost(String url) {
        return server.base() + url.substring(url.indexOf("/oauth2/"));
    }

    private static String credentialIdOf(UUID userId) {
        return server.credentialIdOf(userId);
    }

    static int count(String sql, Object... args) {
        return server.count(sql, args);
    }

    private static int auditCount(UUID userId, String type) {
        return userId == null ? count("SELECT COUNT(*) FROM audit_events WHERE type = ?", type)
                : count("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND type = ?", userId, type);
    }
}
