package io.latchkey.passkey;

import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared test server's issuer is {@code http://127.0.0.1:<port>}, an IP address, which WebAuthn does not accept
 * as relying party id: passkeys are off, and no page offers them.
 */
@IntegrationTest
class PasskeysOffForIpIssuerTest {

    @Test
    void theLoginPageOffersNoPasskeyAndTheEndpointsAreNotThere() {
        Browser browser = new Browser();
        Browser.Response login = browser.get("/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).doesNotContain("passkey-sign-in").doesNotContain("latchkey-passkeys.js")
                .contains("autocomplete=\"username\"").doesNotContain("username webauthn");
        Browser.Response options = browser.send(java.net.http.HttpRequest.newBuilder(
                        browser.resolve("/webauthn/authenticate/options"))
                .header("Content-Type", "application/json").header("X-CSRF-TOKEN", login.csrf())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("")).build());
        assertThat(options.status()).isNotEqualTo(200);
        assertThat(options.body()).doesNotContain("challenge");
    }
}
