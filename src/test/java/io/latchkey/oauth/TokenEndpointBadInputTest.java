package io.latchkey.oauth;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.LogCapture;
import io.latchkey.support.RawHttp;
import io.latchkey.support.OAuth;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, oversized, missing, wrong-type and hostile input at the token, introspection and revocation
 * endpoints: always a 4xx with an RFC 6749 section 5.2 JSON error, never a 500, a redirect or a stack
 * trace, and nothing written.
 */
@IntegrationTest
class TokenEndpointBadInputTest {

    @Autowired
    JdbcTemplate jdbc;

    private final Browser browser = new Browser();

    @ParameterizedTest
    @ValueSource(strings = { "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke" })
    void requestWithoutClientAuthenticationIsInvalidClientJsonNotARedirect(String endpoint) {
        for (String accept : List.of("application/json", "*/*", "text/html")) {
            Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve(endpoint))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", accept)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&token=abc"))
                    .build());
            assertThat(response.status()).as(endpoint + " " + accept).isEqualTo(401);
            assertThat(response.header("Location")).isNull();
            assertThat(error(response)).isEqualTo("invalid_client");
        }
    }

    @Test
    void wrongSecretIsInvalidClient() {
        for (String secret : List.of("wrong", CONFIDENTIAL_SECRET + "x", "' OR '1'='1", "\u2603".repeat(20))) {
            Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, secret,
                    OAuth.form("grant_type", "client_credentials"));
            assertThat(response.status()).as(secret).isEqualTo(401);
            assertThat(error(response)).isEqualTo("invalid_client");
        }
    }

    @Test
    void emptySecretIsRejected() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, "",
                OAuth.form("grant_type", "client_credentials"));
        assertThat(response.status()).isBetween(400, 401);
        assertThat(error(response)).isIn("invalid_request", "invalid_client");
    }

    @Test
    void unknownOrHostileClientIdIsInvalidClient() {
        for (String clientId : List.of("nobody", "' OR 1=1 --", "<script>alert(1)</script>", "x".repeat(5000))) {
            Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, "whatever-secret",
                    OAuth.form("grant_type", "client_credentials"));
            assertThat(response.status()).as(clientId).isEqualTo(401);
            assertThat(error(response)).isEqualTo("invalid_client");
        }
    }

    @Test
    void clientIdThatIsNotValidInBasicAuthenticationIsInvalidRequest() {
        // RFC 6749 2.3.1: the client id is form-urlencoded inside Basic; raw non-ASCII and NUL are malformed
        for (String clientId : List.of("kl\u00e9ient-\u2603", "a\u0000b", "%zz")) {
            Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, "whatever-secret",
                    OAuth.form("grant_type", "client_credentials"));
            assertThat(response.status()).as(clientId).isBetween(400, 401);
            assertThat(error(response)).isIn("invalid_request", "invalid_client");
        }
    }

    @Test
    void publicClientCannotUseClientCredentials() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", PUBLIC_CLIENT, null,
                OAuth.form("grant_type", "client_credentials", "client_id", PUBLIC_CLIENT));
        assertThat(response.status()).isBetween(400, 401);
        assertThat(error(response)).isIn("invalid_client", "unauthorized_client");
    }

    @Test
    void unknownGrantTypeIsUnsupportedGrantType() {
        for (String grantType : List.of("implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer", "magic",
                "client_credentials\u0000", "<img src=x onerror=alert(1)>")) {
            Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                    OAuth.form("grant_type", grantType));
            assertThat(response.status()).as(grantType).isEqualTo(400);
            assertThat(error(response)).isEqualTo("unsupported_grant_type");
            assertThat(response.body()).doesNotContain("<img");
        }
    }

    @Test
    void missingOrRepeatedGrantTypeIsInvalidRequest() {
        Browser.Response missing = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("scope", "api.read"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(error(missing)).isIn("invalid_request", "unsupported_grant_type");

        Browser.Response repeated = raw("grant_type=client_credentials&grant_type=client_credentials",
                "application/x-www-form-urlencoded");
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(error(repeated)).isEqualTo("invalid_request");
    }

    @Test
    void scopeTheClientDoesNotHaveIsInvalidScope() {
        for (String scope : List.of("admin", "api.read admin", "' OR 1=1", "\u00fcber", "x".repeat(10_000))) {
            Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                    OAuth.form("grant_type", "client_credentials", "scope", scope));
            assertThat(response.status()).as(scope.substring(0, Math.min(20, scope.length()))).isEqualTo(400);
            assertThat(error(response)).isEqualTo("invalid_scope");
        }
    }

    @Test
    void oversizedBodyIsA4xxJsonError() {
        int before = authorizationRows();
        Browser.Response response = raw("grant_type=client_credentials&scope=" + "a".repeat(200_000),
                "application/x-www-form-urlencoded");
        assertThat(response.status()).isBetween(400, 499);
        assertThat(error(response)).isNotBlank();
        assertThat(authorizationRows()).isEqualTo(before);
    }

    @Test
    void garbageBodiesAreA4xxJsonError() {
        int before = authorizationRows();
        Map<String, String> bodies = Map.of(
                "{\"grant_type\":\"client_credentials\"}", "application/json",
                "\u0000\u0001\u0002\u00ff", "application/octet-stream",
                "%%%%&&&===", "application/x-www-form-urlencoded",
                "grant_type=%ZZ", "application/x-www-form-urlencoded",
                "<xml>grant_type</xml>", "text/xml",
                "", "application/x-www-form-urlencoded");
        bodies.forEach((body, type) -> {
            Browser.Response response = raw(body, type);
            assertThat(response.status()).as(body + " as " + type).isBetween(400, 499);
            assertThat(error(response)).as(body).isNotBlank();
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        });
        assertThat(authorizationRows()).isEqualTo(before);
    }

    @Test
    void malformedBasicAuthorizationHeaderIsRejected() {
        for (String header : List.of("Basic !!!not-base64!!!", "Basic " + java.util.Base64.getEncoder()
                .encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)), "Bearer abc", "Basic ")) {
            Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", header)
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                    .build());
            assertThat(response.status()).as(header).isBetween(400, 401);
            assertThat(error(response)).as(header).isIn("invalid_request", "invalid_client");
        }
    }

    @Test
    void tokenEndpointOnlyAcceptsPost() {
        for (String accept : List.of("application/json", "text/html")) {
            Browser.Response response = browser.get("/oauth2/token?grant_type=client_credentials", "Accept", accept);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("Location")).isNull();
            assertThat(error(response)).isEqualTo("invalid_client");
        }
    }

    @Test
    void introspectionOfGarbageTokensIsInactive() {
        for (String token : List.of("garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "' OR 1=1 --", "\u2603",
                "x".repeat(20_000))) {
            Browser.Response response = OAuth.post(browser, "/oauth2/introspect", CONFIDENTIAL_CLIENT,
                    CONFIDENTIAL_SECRET, OAuth.form("token", token));
            assertThat(response.status()).isEqualTo(200);
            assertThat(OAuth.json(response).get("active").asBoolean()).isFalse();
        }
        Browser.Response missing = OAuth.post(browser, "/oauth2/introspect", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(error(missing)).isEqualTo("invalid_request");
    }

    @Test
    void revocationWithoutTokenIsInvalidRequest() {
        Browser.Response missing = OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("token_type_hint", "access_token"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(error(missing)).isEqualTo("invalid_request");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413InvalidRequest() {
        int before = authorizationRows();
        byte[] form = ("grant_type=client_credentials&scope=" + "a".repeat(100_000)).getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Answer answer = RawHttp.exchange(tokenRequest().chunked(form, 4096));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(oauthError(answer)).isEqualTo("invalid_request");
        assertThat(authorizationRows()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadAsUsual() {
        RawHttp.Answer answer = RawHttp.exchange(tokenRequest()
                .chunked("grant_type=client_credentials&scope=api.read".getBytes(StandardCharsets.ISO_8859_1), 5));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("access_token");
    }

    @Test
    void parametersThatCannotBeReadAre400InvalidRequestAndNoErrorInTheLog() {
        try (LogCapture log = LogCapture.open()) {
            for (byte[] body : List.of("grant_type=client_credentials&scope=%zz".getBytes(StandardCharsets.ISO_8859_1),
                    "grant_type=client_credentials&scope=%E0%A4".getBytes(StandardCharsets.ISO_8859_1),
                    new byte[] { 'g', 'r', 'a', 'n', 't', '_', 't', 'y', 'p', 'e', '=', (byte) 0xff },
                    manyParameters(1001))) {
                RawHttp.Answer answer = RawHttp.exchange(tokenRequest().body(body));
                assertThat(answer.status()).as(answer.body()).isEqualTo(400);
                assertThat(oauthError(answer)).isEqualTo("invalid_request");
            }
            RawHttp.Answer query = RawHttp.exchange(new RawHttp.Request("GET", "/oauth2/jwks?x=%FF").noBody());
            assertThat(query.status()).isEqualTo(400);
            assertThat(oauthError(query)).isEqualTo("invalid_request");
            assertThat(LogCapture.describe(log.errors())).isEmpty();
            assertThat(LogCapture.describe(log.withStackTraces())).isEmpty();
        }
    }

    @Test
    void aRepeatedParameterIsInvalidRequestEvenOneTheServerDoesNotCheckItself() {
        // a repeated code_verifier used to reach the PKCE check as an array, and fail there with a 500
        for (String repeated : List.of("code_verifier=a&code_verifier=b", "redirect_uri=x&redirect_uri=y",
                "fuzz=1&fuzz=2")) {
            Browser.Response response = raw("grant_type=authorization_code&code=abc&" + repeated,
                    "application/x-www-form-urlencoded");
            assertThat(response.status()).as(repeated).isEqualTo(400);
            assertThat(error(response)).isEqualTo("invalid_request");
        }
        for (String endpoint : List.of("/oauth2/introspect", "/oauth2/revoke")) {
            Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve(endpoint))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
                    .POST(HttpRequest.BodyPublishers.ofString("token=a&token=b")).build());
            assertThat(response.status()).as(endpoint).isEqualTo(400);
            assertThat(error(response)).isEqualTo("invalid_request");
        }
    }

    @Test
    void aContentTypeThatIsNotAMediaTypeIs415InvalidRequest() {
        for (String type : List.of("*/*", "garbage", "application/x-www-form-urlencoded; charset=utf-42")) {
            Browser.Response response = raw("grant_type=client_credentials", type);
            assertThat(response.status()).as(type).isEqualTo(415);
            assertThat(error(response)).isEqualTo("invalid_request");
        }
    }

    @Test
    void requestsTheFirewallOrTheCorsPolicyRefuseGetOAuthErrors() {
        byte[] authorization = (OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET) + "\u0085")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Answer header = RawHttp.exchange(new RawHttp.Request("POST", "/oauth2/token")
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(header.status()).isEqualTo(400);
        assertThat(oauthError(header)).isEqualTo("invalid_request");

        RawHttp.Answer path = RawHttp.exchange(new RawHttp.Request("POST", "/oauth2/token;jsessionid=x")
                .header("Authorization", OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(path.status()).isEqualTo(400);
        assertThat(oauthError(path)).isEqualTo("invalid_request");

        Browser.Response origin = browser.send(HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.latchkey.test")
                .header("Authorization", OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertThat(origin.status()).isEqualTo(403);
        assertThat(error(origin)).isEqualTo("invalid_request");
    }

    @Test
    void aClientSecretLongerThanBcryptReadsIsJustAWrongSecret() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET + "x".repeat(72), OAuth.form("grant_type", "client_credentials"));
        assertThat(response.status()).isEqualTo(401);
        assertThat(error(response)).isEqualTo("invalid_client");
    }

    private static RawHttp.Request tokenRequest() {
        return new RawHttp.Request("POST", "/oauth2/token")
                .header("Authorization", OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded");
    }

    private static byte[] manyParameters(int count) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        for (int i = 0; i < count; i++) {
            form.append("&p").append(i).append("=1");
        }
        return form.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String oauthError(RawHttp.Answer answer) {
        assertThat(answer.contentType()).as(answer.body()).startsWith("application/json");
        JsonNode json = OAuth.json(answer.body());
        assertThat(json.has("error_description")).as(answer.body()).isTrue();
        return json.get("error").asString();
    }

    private Browser.Response raw(String body, String contentType) {
        return browser.send(HttpRequest.newBuilder(browser.resolve("/oauth2/token"))
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .header("Authorization", OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private int authorizationRows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorizations", Integer.class);
    }

    private static String error(Browser.Response response) {
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/json");
        JsonNode json = OAuth.json(response);
        assertThat(json.has("error")).as(response.body()).isTrue();
        return json.get("error").asString();
    }
}
