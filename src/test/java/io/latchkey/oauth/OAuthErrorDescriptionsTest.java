package io.latchkey.oauth;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OAuth errors say what is wrong ({@link OAuthErrorDescriptions}, {@link AuthorizationCodeFailures}): never a
 * parameter's name alone, never the caller's input echoed, and no more than the error code tells a client about
 * codes and clients that are not its own.
 */
@IntegrationTest
class OAuthErrorDescriptionsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "error descriptions password 3";
    private static final String FRAMEWORK_TEXT = "OAuth 2.0 Parameter";

    private final Browser browser = new Browser();
    private String email;
    private UUID userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("descriptions");
        userId = createUser(email, PASSWORD);
    }

    @Test
    void anUnknownClientIsExplainedOnAPageWithoutEchoingIt() {
        Browser.Response page = browser.get(CodeFlow.authorizeUrl("no-such-client-<b>x</b>", CONFIDENTIAL_REDIRECT,
                "openid", "s", OAuth.randomVerifier()));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("Location")).isNull();
        assertThat(page.body()).contains("invalid_request")
                .contains("The client_id is missing or is not that of a registered, enabled client.")
                .doesNotContain(FRAMEWORK_TEXT).doesNotContain("no-such-client").doesNotContain("<b>x</b>")
                // nothing to go back to but Latchkey's start page
                .contains("id=\"way-back\" href=\"/\"");
    }

    @Test
    void anUnregisteredRedirectUriIsExplainedOnAPageAndNeverRedirectedTo() {
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT,
                "https://attacker.example/callback", "openid", "s", OAuth.randomVerifier()));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("Location")).isNull();
        assertThat(page.body()).contains("invalid_request")
                .contains("The redirect_uri is missing or is not registered for this client.")
                .doesNotContain(FRAMEWORK_TEXT).doesNotContain("attacker.example")
                // the way back is the client's registered site, never the URI the request carried
                .contains("href=\"http://127.0.0.1/\"").contains("Back to Confidential Test App");
    }

    @Test
    void cancelOnTheConsentPageTellsTheClientTheUserDenied() {
        Browser.Response toLogin = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid profile", "deny-me", OAuth.randomVerifier()));
        assertThat(toLogin.location()).startsWith(ISSUER + "/login");
        Browser.Response consent = browser.follow(browser.signIn(email, PASSWORD));
        String state = consent.body().replaceAll("(?s).*name=\"state\"\\s+value=\"([^\"]+)\".*", "$1");
        Browser.Response denied = browser.postForm("/oauth2/authorize", Map.of("client_id", CONFIDENTIAL_CLIENT,
                "state", state, "_csrf", consent.csrf()));
        assertThat(denied.location()).startsWith(CONFIDENTIAL_REDIRECT);
        assertThat(denied.locationParam("error")).isEqualTo("access_denied");
        assertThat(denied.locationParam("error_description")).isEqualTo("The user denied the request.");
    }

    @Test
    void aReplayedCodeIsInvalidGrantSayingItWasUsed() {
        String verifier = OAuth.randomVerifier();
        Map<String, String> exchange = exchange(code(verifier), verifier);
        assertThat(token(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange).status()).isEqualTo(200);

        Browser.Response replay = token(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(error(replay)).isEqualTo("invalid_grant");
        assertThat(description(replay)).isEqualTo(OAuthErrorDescriptions.CODE_REPLAYED);
    }

    @Test
    void anExpiredCodeIsInvalidGrantSayingItExpired() {
        String verifier = OAuth.randomVerifier();
        String code = code(verifier);
        // the framework reads a code's expiry from the store: age the stored one rather than wait for it
        int aged = jdbc.update("UPDATE authorization_tokens SET issued_at = now() - interval '10 minutes', "
                + "expires_at = now() - interval '5 minutes' WHERE token_type = 'code' AND authorization_id IN "
                + "(SELECT id FROM authorizations WHERE principal_name = ?)", userId.toString());
        assertThat(aged).isEqualTo(1);
        Browser.Response refused = token(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange(code, verifier));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(error(refused)).isEqualTo("invalid_grant");
        assertThat(description(refused)).isEqualTo(OAuthErrorDescriptions.CODE_EXPIRED);
    }

    @Test
    void aCodeOfAnotherClientOrNoCodeAtAllReadTheSame() {
        String verifier = OAuth.randomVerifier();
        String code = code(verifier);
        Browser.Response otherClient = token(TRUSTED_CLIENT, TRUSTED_SECRET, exchange(code, verifier));
        Browser.Response unknown = token(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange("no-such-code", verifier));
        for (Browser.Response refused : new Browser.Response[] { otherClient, unknown }) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(error(refused)).isEqualTo("invalid_grant");
            assertThat(description(refused)).isEqualTo(OAuthErrorDescriptions.CODE_INVALID);
            assertThat(refused.body()).doesNotContain(code).doesNotContain("no-such-code");
        }
    }

    @Test
    void aRedirectUriOtherThanTheAuthorizationRequestsIsNamed() {
        String verifier = OAuth.randomVerifier();
        Map<String, String> exchange = exchange(code(verifier), verifier);
        exchange.put("redirect_uri", CONFIDENTIAL_REDIRECT + "/other");
        Browser.Response refused = token(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange);
        assertThat(error(refused)).isEqualTo("invalid_grant");
        assertThat(description(refused)).isEqualTo(OAuthErrorDescriptions.REDIRECT_URI_MISMATCH);
    }

    @Test
    void aPkceMismatchOrMissingVerifierSaysSo() {
        for (String presented : new String[] { null, OAuth.randomVerifier() }) {
            String verifier = OAuth.randomVerifier();
            Map<String, String> exchange = exchange(code(verifier), verifier);
            if (presented == null) {
                exchange.remove("code_verifier");
            }
            else {
                exchange.put("code_verifier", presented);
            }
            Browser.Response refused = token(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(error(refused)).isEqualTo("invalid_grant");
            assertThat(description(refused)).isEqualTo(OAuthErrorDescriptions.PKCE_MISMATCH)
                    .doesNotContain(FRAMEWORK_TEXT);
            if (presented != null) {
                assertThat(refused.body()).doesNotContain(presented);
            }
        }
    }

    @Test
    void aWrongClientSecretTellsNoMoreThanInvalidClient() {
        Browser.Response refused = token(CONFIDENTIAL_CLIENT, "not-the-secret", exchange("x", "y"));
        Browser.Response unknown = token("no-such-client", "not-the-secret", exchange("x", "y"));
        for (Browser.Response response : new Browser.Response[] { refused, unknown }) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(error(response)).isEqualTo("invalid_client");
            assertThat(OAuth.json(response).has("error_description")).isFalse();
        }
    }

    private String code(String verifier) {
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_REDIRECT, "openid", "s", verifier), email, PASSWORD);
        return callback.locationParam("code");
    }

    private static Map<String, String> exchange(String code, String verifier) {
        return OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", CONFIDENTIAL_REDIRECT,
                "code_verifier", verifier);
    }

    private Browser.Response token(String client, String secret, Map<String, String> form) {
        return OAuth.post(new Browser(), "/oauth2/token", client, secret, form);
    }

    private static String error(Browser.Response response) {
        return OAuth.json(response).get("error").asString();
    }

    private static String description(Browser.Response response) {
        return OAuth.json(response).path("error_description").asString();
    }
}
