package io.latchkey.oauth.authorize;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.NATIVE_CLIENT;
import static io.latchkey.support.TestServerInitializer.NATIVE_REDIRECT_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A native app registers its redirect URI on the loopback interface without a port and is sent back to
 * whatever port it listens on (RFC 8252 section 7.3); everything else about the URI must match exactly.
 */
@IntegrationTest
class LoopbackRedirectUrisTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "loopback redirect passphrase";

    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("loopback");
        createUser(email, PASSWORD);
    }

    @Test
    void anyPortOnEachLoopbackHostGetsTheCodeAtThatPort() {
        for (String redirectUri : List.of("http://127.0.0.1:51234" + NATIVE_REDIRECT_PATH,
                "http://[::1]:8765" + NATIVE_REDIRECT_PATH, "http://localhost:3000" + NATIVE_REDIRECT_PATH,
                "http://127.0.0.1" + NATIVE_REDIRECT_PATH)) {
            String verifier = OAuth.randomVerifier();
            Browser browser = new Browser();
            Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(NATIVE_CLIENT, redirectUri, "openid",
                    "st", verifier), email, PASSWORD);
            assertThat(callback.location()).as(redirectUri).startsWith(redirectUri + "?code=");

            Browser.Response tokens = OAuth.post(browser, "/oauth2/token", NATIVE_CLIENT, null,
                    OAuth.form("grant_type", "authorization_code", "client_id", NATIVE_CLIENT,
                            "code", callback.locationParam("code"), "redirect_uri", redirectUri, "code_verifier", verifier));
            assertThat(tokens.status()).as(redirectUri + ": " + tokens.body()).isEqualTo(200);
        }
    }

    @Test
    void onlyThePortMayDiffer() {
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        for (String redirectUri : List.of("http://127.0.0.1:5000/other-callback",
                "http://127.0.0.1:5000" + NATIVE_REDIRECT_PATH + "/more",
                "http://127.0.0.1:5000" + NATIVE_REDIRECT_PATH + "?next=https://attacker.example",
                "https://127.0.0.1:5000" + NATIVE_REDIRECT_PATH, "http://127.0.0.2:5000" + NATIVE_REDIRECT_PATH,
                "http://127.0.0.evil:5000" + NATIVE_REDIRECT_PATH, "http://localhost.attacker.example" + NATIVE_REDIRECT_PATH,
                "http://attacker.example@127.0.0.1:5000" + NATIVE_REDIRECT_PATH,
                "http://127.0.0.1:5000@attacker.example" + NATIVE_REDIRECT_PATH)) {
            Browser.Response response = browser.get(CodeFlow.authorizeUrl(NATIVE_CLIENT, redirectUri, "openid", "s",
                    OAuth.randomVerifier()));
            assertThat(response.status()).as(redirectUri).isEqualTo(400);
            assertThat(response.header("Location")).as(redirectUri).isNull();
            assertThat(response.body()).contains("invalid_request").contains("redirect_uri");
        }
    }
}
