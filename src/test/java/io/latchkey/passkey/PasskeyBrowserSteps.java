package io.latchkey.passkey;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import io.latchkey.support.AxeCore;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps the passkey browser tests share against a {@link LocalhostPasskeyServer}: Chromium's virtual authenticator
 * (CTAP2, internal, resident keys, user verification) with passkey autofill off, signing in with a password, adding a
 * passkey, signing out, asking the authenticator for an assertion and the axe check. Registered as an instance
 * extension, it adds the authenticator before each test and removes it after.
 */
final class PasskeyBrowserSteps implements BeforeEachCallback, AfterEachCallback {

    private final BrowserSession browser;
    private final LocalhostPasskeyServer server;
    private final String password;

    private VirtualAuthenticator authenticator;
    private String noAutofillScript;

    PasskeyBrowserSteps(BrowserSession browser, LocalhostPasskeyServer server, String password) {
        this.browser = browser;
        this.server = server;
        this.password = password;
    }

    VirtualAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * Adds the virtual authenticator and switches passkey autofill off: Chromium's virtual authenticator answers
     * autofill (conditional mediation) at once, as if the user had picked the passkey, so a sign-in page would sign in
     * by itself. Tests that test autofill call {@link #allowAutofill}, so elsewhere the button is what they test.
     */
    @Override
    public void beforeEach(ExtensionContext extension) {
        authenticator = browser.driver().addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true));
        Map<String, Object> added = browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", "if (window.PublicKeyCredential) { PublicKeyCredential.isConditionalMediationAvailable ="
                        + " () => Promise.resolve(false); }"));
        noAutofillScript = String.valueOf(added.get("identifier"));
    }

    @Override
    public void afterEach(ExtensionContext extension) {
        browser.driver().removeVirtualAuthenticator(authenticator);
        allowAutofill();
    }

    void allowAutofill() {
        if (noAutofillScript != null) {
            browser.driver().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", noAutofillScript));
            noAutofillScript = null;
        }
    }

    /** A new account with the tests' password and the display name {@code name} (may be null). */
    UUID createUser(String email, String name) {
        return TestUsers.create(server.jdbc(), server.passwordEncoder(), email, password, name);
    }

    /** A new account (no display name) with one passkey {@code passkeyName}, signed out again. */
    UUID userWithPasskey(String email, String passkeyName) {
        UUID userId = createUser(email, null);
        signInWithPassword(email);
        addPasskey(passkeyName);
        signOut();
        return userId;
    }

    void signInWithPassword(String email) {
        browser.open(server.base() + "/login");
        browser.signIn(email, password);
        browser.waitForUrl(server.base() + "/account");
    }

    void addPasskey(String name) {
        browser.open(server.base() + "/account/passkeys");
        browser.fill("name", name);
        browser.waitFor(By.id("add-passkey")).click();
        browser.waitForUrl(server.base() + "/account/passkeys?saved=added");
    }

    void signOut() {
        browser.open(server.base() + "/account");
        browser.waitFor(By.id("sign-out")).click();
        browser.waitForUrl(server.base() + "/login");
    }

    /**
     * An assertion (credential JSON) by the passkey of the account {@code userId}, from the page open now (the
     * authenticator is asked for that one only).
     */
    String assertionOf(UUID userId) {
        return PasskeyScripts.text(PasskeyScripts.run(browser, """
                post('/webauthn/authenticate/options').then(r => JSON.parse(r.body)).then(options =>
                    navigator.credentials.get({ publicKey: Object.assign({}, options, { challenge: unb64(options.challenge),
                        allowCredentials: [{ type: 'public-key', id: unb64(arguments[0]) }] }) }))
                .then(c => done(JSON.stringify({ id: c.id, rawId: b64(c.rawId), credType: c.type,
                    response: { authenticatorData: b64(c.response.authenticatorData),
                        clientDataJSON: b64(c.response.clientDataJSON), signature: b64(c.response.signature),
                        userHandle: c.response.userHandle ? b64(c.response.userHandle) : undefined },
                    clientExtensionResults: c.getClientExtensionResults() })), fail);
                """, server.credentialIdOf(userId)));
    }

    void assertAccessible(String state) {
        assertThat(AxeCore.violations(browser.driver(), AxeCore.WCAG_22_A_AA)).as("WCAG 2.2 A/AA on the %s", state)
                .isEmpty();
    }
}
