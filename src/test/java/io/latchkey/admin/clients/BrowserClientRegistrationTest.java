package io.latchkey.admin.clients;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;

import io.latchkey.support.Browser;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

/**
 * The issue's "must show", in a real headless Chromium: an admin registers a confidential client in the console and
 * copies its secret from the page, the one time it is shown; the client gets tokens with client credentials and with
 * the authorization code flow (PKCE, loopback redirect URI); a rotation in the console keeps the old secret working
 * during the overlap only: until "end the overlap now", and not at all after a rotation without overlap.
 */
@IntegrationTest
class BrowserClientRegistrationTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "browser clients passphrase 5";
    private static final String REDIRECT = "http://127.0.0.1/browser-registered-app";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @Test
    void anAdminRegistersAClientThatSignsInAndRotatesItsSecretWithAnOverlap() {
        String email = TestUsers.uniqueEmail("browser-clients-admin");
        UUID admin = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", admin);
        String clientId = "browser-app-" + UUID.randomUUID().toString().substring(0, 8);

        browser.open("/admin/clients/new").signIn(email, PASSWORD);
        browser.waitForUrl("/admin/clients/new");
        browser.fill("clientId", clientId).fill("displayName", "Browser App").fill("redirectUris", REDIRECT)
                .fill("scopes", "openid profile");
        browser.element(By.cssSelector("input[name=grantTypes][value=client_credentials]")).click();
        browser.submit("save-client");

        String secret = browser.waitFor(By.id("client-secret")).getDomProperty("value");
        assertThat(browser.element(By.id("client-secret")).getDomAttribute("readonly")).isNotNull();
        assertThat(browser.element(By.id("secret-once")).getText()).contains("cannot be shown again");
        assertThat(browser.currentUrl()).doesNotContain(secret);
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);

        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);
        assertThat(codeFlow(clientId, secret)).as("authorization code with PKCE").isEqualTo(200);

        browser.waitFor(By.id("client-details"));
        assertThat(browser.pageSource()).as("the client's page never shows the secret").doesNotContain(secret);

        // rotation with an overlap of an hour: both secrets work until the overlap is ended
        String second = rotate("overlap-1h");
        assertThat(second).isNotEqualTo(secret);
        assertThat(browser.element(By.id("overlap-note")).getText()).isNotBlank();
        assertThat(clientCredentials(clientId, secret)).as("the old secret during the overlap").isEqualTo(200);
        assertThat(clientCredentials(clientId, second)).isEqualTo(200);
        browser.click("to-client");
        browser.waitFor(By.id("end-overlap"));
        browser.submit("end-overlap");
        assertThat(browser.waitFor(By.id("admin-done")).getText()).isNotBlank();
        assertThat(clientCredentials(clientId, secret)).as("the old secret once the overlap ended").isEqualTo(401);
        assertThat(codeFlow(clientId, second)).isEqualTo(200);

        // rotation without overlap: the old secret stops at once
        String third = rotate("overlap-none");
        assertThat(clientCredentials(clientId, second)).as("no overlap").isEqualTo(401);
        assertThat(clientCredentials(clientId, third)).isEqualTo(200);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** From the client's page: the rotation form, the overlap chosen, and the new secret read off the answer. */
    private String rotate(String overlap) {
        browser.click("rotate-secret");
        browser.waitFor(By.id(overlap)).click();
        browser.submit("confirm-rotate");
        return browser.waitFor(By.id("client-secret")).getDomProperty("value");
    }

    /** The code flow in the browser, where the admin is signed in; the code exchanged with the secret. */
    private int codeFlow(String clientId, String secret) {
        String verifier = OAuth.randomVerifier();
        try {
            browser.open(CodeFlow.authorizeUrl(clientId, REDIRECT, "openid profile", "browser-state", verifier));
        }
        catch (WebDriverException refused) {
            // consent given before: straight on to the redirect URI, where nothing listens (the URL is kept)
        }
        if (browser.currentUrl().startsWith(ISSUER + "/oauth2/consent")) {
            browser.waitFor(By.id("submit-consent")).click();
        }
        Map<String, String> callback = browser.waitForRedirectTo(REDIRECT);
        browser.consoleLog(); // nothing listens at the redirect URI: Chromium's failed load is not the console's
        assertThat(callback.get("state")).isEqualTo("browser-state");
        Browser.Response token = OAuth.post(new Browser(), "/oauth2/token", clientId, secret, OAuth.form("grant_type",
                "authorization_code", "code", callback.get("code"), "redirect_uri", REDIRECT, "code_verifier", verifier));
        if (token.status() == 200) {
            assertThat(OAuth.json(token).get("id_token").asString()).isNotBlank();
        }
        browser.open("/admin/clients/" + clientId);
        return token.status();
    }

    private static int clientCredentials(String clientId, String secret) {
        return OAuth.post(new Browser(), "/oauth2/token", clientId, secret, OAuth.form("grant_type", "client_credentials"))
                .status();
    }
}
