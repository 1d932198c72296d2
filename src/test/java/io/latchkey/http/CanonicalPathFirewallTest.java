package io.latchkey.http;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request paths have one spelling: a percent-encoded unreserved character, like Spring Security's own list (encoded
 * slashes and periods, {@code //}, dot segments, {@code ;} parameters), gets a clean 400 in each endpoint's format,
 * never a 500.
 */
@IntegrationTest
class CanonicalPathFirewallTest {

    private final Browser browser = new Browser();

    @Test
    void findsEncodedUnreservedCharactersOnly() {
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/oauth2/%74oken")).isTrue();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/%6cogin")).isTrue();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/a%2Db%5Fc%7E%30")).isTrue();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/login")).isFalse();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/static/a%20b.css")).isFalse();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/static/%C3%BC.css")).isFalse();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/bad%zz%")).isFalse();
        assertThat(CanonicalPathFirewall.encodesUnreservedCharacter("/end%7")).isFalse();
    }

    @Test
    void hostedAndOAuthPathsAnswerACleanBadRequest() {
        for (String path : List.of("/%6Cogin", "/oauth2/%74oken", "/oauth2/%61uthorize?client_id=x",
                "/.well-known/openid-configuratio%6E", "//login", "/login;x=1", "/account/../login")) {
            Browser.Response response = browser.get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            // a page for browser paths, OAuth JSON for protocol endpoints (http/EndpointErrors); never a stack trace
            assertThat(response.body()).as(path).containsAnyOf("Status 400", "\"invalid_request\"")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void apiPathsAnswerProblemDetails() {
        for (String path : List.of("/api/v1/users/%6De", "/api/v1/auth/%6Cogin", "/api/v1//users/me")) {
            Browser.Response response = browser.get(path, "Accept", "application/json");
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.header("Content-Type")).as(path).startsWith("application/problem+json");
        }
    }
}
