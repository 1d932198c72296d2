package io.latchkey.oauth;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;


import io.latchkey.support.Browser;
import io.latchkey.support.ClaimTypes;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_REDIRECT;
import static io.latchkey.support.TestServerInitializer.STORED_CC_CLIENT;
import static io.latchkey.support.TestServerInitializer.STORED_CC_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every token and response Latchkey issues, on every path (code, refresh, password grant, API sign-in
 * and refresh, client credentials), decoded and checked claim by claim against the JSON type its
 * specification gives ({@link ClaimTypes}); and {@code auth_time} on refresh is the time of the sign-in.
 */
@IntegrationTest
class TokenClaimTypesTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "claim types passphrase 2026";

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("types");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Grace Hopper");
    }

    @Test
    void codeFlowAndItsRefreshIssueCorrectlyTypedClaims() {
        JsonNode tokens = codeFlow(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT,
                "openid profile email api.read");
        JsonNode idToken = checkTokenResponse("code", tokens, true);
        assertThat(idToken.get("amr").get(0).asString()).isEqualTo("pwd");
        checkIntrospectionAndUserInfo("code", tokens.get("access_token").asString());

        JsonNode refreshed = refresh(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, tokens.get("refresh_token").asString());
        JsonNode refreshedIdToken = checkTokenResponse("code → refresh", refreshed, true);
        assertThat(refreshedIdToken.get("auth_time").asLong()).isEqualTo(idToken.get("auth_time").asLong());
        assertThat(refreshedIdToken.get("amr")).isEqualTo(idToken.get("amr"));
        checkIntrospectionAndUserInfo("code → refresh", refreshed.get("access_token").asString());

        JsonNode again = refresh(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, refreshed.get("refresh_token").asString());
        assertThat(checkTokenResponse("code → refresh → refresh", again, true).get("auth_time").asLong())
                .isEqualTo(idToken.get("auth_time").asLong());
    }

    @Test
    void passwordGrantAndItsRefreshIssueCorrectlyTypedClaims() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", PASSWORD,
                        "scope", "openid profile email api.read"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(response);
        JsonNode idToken = checkTokenResponse("password grant", tokens, true);
        assertThat(idToken.get("auth_time").asLong())
                .isBetween(Instant.now().minusSeconds(60).getEpochSecond(), Instant.now().plusSeconds(5).getEpochSecond());
        checkIntrospectionAndUserInfo("password grant", tokens.get("access_token").asString());

        JsonNode refreshed = refresh(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, tokens.get("refresh_token").asString());
        assertThat(checkTokenResponse("password grant → refresh", refreshed, true).get("auth_time").asLong())
                .isEqualTo(idToken.get("auth_time").asLong());
        checkIntrospectionAndUserInfo("password grant → refresh", refreshed.get("access_token").asString());
    }

    @Test
    void apiSignInAndRefreshIssueCorrectlyTypedClaims() {
        Browser.Response login = browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email + "\",\"password\":\""
                        + PASSWORD + "\",\"scope\":\"openid email\"}"))
                .build());
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(login);
        JsonNode idToken = checkTokenResponse("API sign-in", tokens, true);
        checkIntrospectionAndUserInfo("API sign-in", tokens.get("access_token").asString());

        Browser.Response refresh = browser.send(java.net.http.HttpRequest.newBuilder(browser.resolve("/api/v1/auth/refresh"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"refresh_token\":\"" + tokens.get("refresh_token").asString() + "\"}"))
                .build());
        assertThat(refresh.status()).as(refresh.body()).isEqualTo(200);
        assertThat(checkTokenResponse("API refresh", OAuth.json(refresh), true).get("auth_time").asLong())
                .isEqualTo(idToken.get("auth_time").asLong());
    }

    @Test
    void publicClientCodeFlowAndRefreshIssueCorrectlyTypedClaims() {
        JsonNode tokens = codeFlow(PUBLIC_CLIENT, null, PUBLIC_REDIRECT, "openid profile email");
        JsonNode idToken = checkTokenResponse("public code", tokens, true);
        JsonNode refreshed = refresh(PUBLIC_CLIENT, null, tokens.get("refresh_token").asString());
        assertThat(checkTokenResponse("public code → refresh", refreshed, true).get("auth_time").asLong())
                .isEqualTo(idToken.get("auth_time").asLong());
    }

    @Test
    void clientCredentialsTokensAndTheirIntrospectionAreCorrectlyTyped() {
        for (String[] client : new String[][] { { CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET },
                { STORED_CC_CLIENT, STORED_CC_SECRET } }) {
            Browser.Response response = OAuth.post(browser, "/oauth2/token", client[0], client[1],
                    OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode tokens = OAuth.json(response);
            ClaimTypes.assertTyped("client credentials response", tokens);
            String what = "client credentials of " + client[0];
            JsonNode access = ClaimTypes.assertJwtTyped(what, tokens.get("access_token").asString(),
                    ClaimTypes.ACCESS_TOKEN_REQUIRED);
            assertThat(access.get("scope").asString()).isEqualTo("api.read");
            JsonNode introspection = OAuth.introspect(browser, tokens.get("access_token").asString());
            ClaimTypes.assertTyped(what + " introspection", introspection);
            assertThat(introspection.get("active").asBoolean()).isTrue();
            assertThat(introspection.get("scope").asString()).isEqualTo("api.read");
        }
    }

    /**
     * Authorizations stored before NumericDates were written as numbers hold {@code auth_time} as a
     * date's {@code toString()}; a refresh of such a login still issues the original time, as a number.
     */
    @Test
    void refreshOfALoginStoredWithTheOldDateEncodingKeepsItsAuthTime() {
        JsonNode tokens = codeFlow(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT, "openid email");
        long authTime = ClaimTypes.payload(tokens.get("id_token").asString()).get("auth_time").asLong();
        // what java.util.Date#toString gave, for example "Sun Nov 29 10:57:24 UTC 2026"
        String oldEncoding = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.US)
                .format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(authTime), ZoneId.of("UTC")));
        String subject = ClaimTypes.payload(tokens.get("id_token").asString()).get("sub").asString();
        int rewritten = jdbc.update("UPDATE authorization_tokens SET metadata = replace(metadata, "
                + "'\\\"auth_time\\\":" + authTime + "', '\\\"auth_time\\\":\\\"" + oldEncoding + "\\\"') "
                + "WHERE token_type = 'id_token' AND current_token = TRUE AND authorization_id IN "
                + "(SELECT id FROM authorizations WHERE principal_name = ?)", subject);
        assertThat(rewritten).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT metadata FROM authorization_tokens WHERE token_type = 'id_token' "
                + "AND current_token = TRUE AND authorization_id IN (SELECT id FROM authorizations WHERE principal_name = ?)",
                String.class, subject)).contains(oldEncoding);

        JsonNode refreshed = refresh(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, tokens.get("refresh_token").asString());
        assertThat(checkTokenResponse("refresh of an old row", refreshed, true).get("auth_time").asLong())
                .isEqualTo(authTime);
    }

    private JsonNode codeFlow(String clientId, String secret, String redirectUri, String scope) {
        String verifier = OAuth.randomVerifier();
        Browser session = new Browser();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(clientId, redirectUri, scope,
                "types", verifier, "nonce", "n-" + UUID.randomUUID()), email, PASSWORD);
        Map<String, String> form = OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                "redirect_uri", redirectUri, "code_verifier", verifier);
        if (secret == null) {
            form.put("client_id", clientId);
        }
        Browser.Response response = OAuth.post(session, "/oauth2/token", clientId, secret, form);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private JsonNode refresh(String clientId, String secret, String refreshToken) {
        Map<String, String> form = OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken);
        if (secret == null) {
            form.put("client_id", clientId);
        }
        Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, secret, form);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    /** Checks the response and both tokens in it; returns the ID token's claims. */
    private static JsonNode checkTokenResponse(String what, JsonNode tokens, boolean withRefreshToken) {
        ClaimTypes.assertTyped(what + " token response", tokens);
        if (withRefreshToken) {
            assertThat(tokens.has("refresh_token")).as(what + " has a refresh token").isTrue();
        }
        JsonNode access = ClaimTypes.assertJwtTyped(what + " access token", tokens.get("access_token").asString(),
                ClaimTypes.ACCESS_TOKEN_REQUIRED);
        assertThat(access.get("scope").asString()).contains("openid");
        return ClaimTypes.assertJwtTyped(what + " ID token", tokens.get("id_token").asString(),
                ClaimTypes.ID_TOKEN_REQUIRED);
    }

    private void checkIntrospectionAndUserInfo(String what, String accessToken) {
        JsonNode introspection = OAuth.introspect(browser, accessToken);
        assertThat(introspection.get("active").asBoolean()).as(what + " introspection").isTrue();
        ClaimTypes.assertTyped(what + " introspection", introspection);
        Browser.Response userInfo = browser.get("/userinfo", "Authorization", "Bearer " + accessToken);
        assertThat(userInfo.status()).as(userInfo.body()).isEqualTo(200);
        ClaimTypes.assertTyped(what + " userinfo", OAuth.json(userInfo));
    }
}
