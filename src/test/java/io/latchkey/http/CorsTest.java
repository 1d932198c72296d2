package io.latchkey.http;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;

import static io.latchkey.support.TestServerInitializer.ALLOWED_ORIGIN;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cross-origin access only from configured origins, never with credentials, never by wildcard. */
@IntegrationTest
class CorsTest {

    private final Browser browser = new Browser();

    @Test
    void preflightFromAnAllowedOriginIsAnsweredWithoutCredentials() {
        Browser.Response preflight = preflight("/oauth2/token", ALLOWED_ORIGIN);
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
    }

    @Test
    void theApiIsReachableCrossOriginFromAnAllowedOrigin() {
        Browser.Response preflight = preflight("/api/v1/users/me", ALLOWED_ORIGIN);
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(preflight("/api/v1/users/me", "https://evil.latchkey.test").status()).isEqualTo(403);
    }

    @Test
    void preflightFromAnyOtherOriginIsRefused() {
        Browser.Response preflight = preflight("/oauth2/token", "https://evil.latchkey.test");
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void tokenResponseToAnAllowedOriginCarriesTheOriginHeader() {
        Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Origin", ALLOWED_ORIGIN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
    }

    @Test
    void hostedPagesAndTheAuthorizationEndpointAreNotCrossOrigin() {
        assertThat(preflight("/login", ALLOWED_ORIGIN).header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight("/oauth2/authorize", ALLOWED_ORIGIN).header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void wildcardOrPathOriginsAreRefusedAtStartup() {
        assertThatThrownBy(() -> new CorsConfiguration().corsConfigurationSource(new CorsProperties(java.util.List.of("*"))))
                .hasMessageContaining("no wildcards");
        assertThatThrownBy(() -> new CorsConfiguration().corsConfigurationSource(new CorsProperties(java.util.List.of("https://a.test/path"))))
                .hasMessageContaining("latchkey.cors.allowed-origins");
    }

    private Browser.Response preflight(String path, String origin) {
        return browser.send(HttpRequest.newBuilder(browser.resolve(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build());
    }
}
