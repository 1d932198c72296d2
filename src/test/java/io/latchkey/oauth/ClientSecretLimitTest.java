package io.latchkey.oauth;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.ratelimit.RateLimitProperties;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.GUARDED_CLIENT;
import static io.latchkey.support.TestServerInitializer.GUARDED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong client secret costs a full password hash, so guessing is limited per client id and per client IP at
 * every endpoint that authenticates clients: {@code invalid_client} (401) until the limit, then 429
 * {@code temporarily_unavailable} with Retry-After and no hash at all. A client whose secret proved right keeps
 * working meanwhile.
 */
@IntegrationTest
class ClientSecretLimitTest {

    @Autowired
    RateLimitProperties properties;

    private final Browser browser = new Browser();

    @Test
    void wrongSecretsForOneClientAreLimitedWhileItsRightSecretKeepsWorking() {
        assertThat(clientCredentials(GUARDED_CLIENT, GUARDED_SECRET, null).status()).isEqualTo(200);

        for (int i = 0; i < properties.clientSecretFailuresPerClient(); i++) {
            Browser.Response wrong = clientCredentials(GUARDED_CLIENT, "wrong secret " + i, null);
            assertThat(wrong.status()).as("guess %d", i + 1).isEqualTo(401);
            assertThat(OAuth.json(wrong).get("error").asString()).isEqualTo("invalid_client");
        }
        assertLimited(clientCredentials(GUARDED_CLIENT, "one more guess", null));
        assertLimited(OAuth.post(browser, "/oauth2/introspect", GUARDED_CLIENT, "guess", OAuth.form("token", "x")));
        assertLimited(OAuth.post(browser, "/oauth2/revoke", GUARDED_CLIENT, "guess", OAuth.form("token", "x")));

        // the right secret is known already: checking it costs no hash, so the limit does not stand in its way
        Browser.Response right = clientCredentials(GUARDED_CLIENT, GUARDED_SECRET, null);
        assertThat(right.status()).isEqualTo(200);
        assertThat(OAuth.json(right).get("access_token").asString()).isNotBlank();
    }

    @Test
    void wrongSecretsFromOneClientIpAreLimited() {
        assertThat(clientCredentials(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, null).status()).isEqualTo(200);
        String ip = "2001:db8:" + Integer.toHexString((int) (Math.random() * 0xffff)) + "::5";
        for (int i = 0; i < properties.clientSecretFailuresPerIp(); i++) {
            Browser.Response wrong = clientCredentials("unknown-" + UUID.randomUUID(), "guess", ip);
            assertThat(wrong.status()).as("guess %d", i + 1).isEqualTo(401);
        }
        assertLimited(clientCredentials("unknown-" + UUID.randomUUID(), "guess", ip));
        assertLimited(clientCredentials(CONFIDENTIAL_CLIENT, "a wrong secret", ip));

        assertThat(clientCredentials(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, ip).status()).isEqualTo(200);
        assertThat(clientCredentials("unknown-" + UUID.randomUUID(), "guess", "2001:db8:ffff::5").status())
                .as("another client IP").isEqualTo(401);
    }

    private static void assertLimited(Browser.Response response) {
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
        assertThat(OAuth.json(response).get("error").asString()).isEqualTo("temporarily_unavailable");
    }

    private Browser.Response clientCredentials(String clientId, String secret, String ip) {
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(clientId, secret))
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(new java.util.ArrayList<>(Map.of(
                        "grant_type", "client_credentials", "scope", "api.read").entrySet()))));
        if (ip != null) {
            request.header("X-Forwarded-For", ip);
        }
        return browser.send(request.build());
    }
}
