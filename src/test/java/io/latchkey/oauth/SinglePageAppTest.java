package io.latchkey.oauth;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;


import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.MOBILE_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single-page app: a public client (no secret) with the code flow and PKCE stays signed in with
 * rotating refresh tokens, and a stolen refresh token that is used after its owner rotated it ends the
 * whole login (RFC 9700 section 4.14.2).
 */
@IntegrationTest
class SinglePageAppTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "single page app passphrase";

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("spa");
        createUser(email, PASSWORD);
    }

    @Test
    void publicClientRefreshesWithRotationAndReuseRevokesTheFamily() {
        JsonNode tokens = signIn();
        String first = tokens.get("refresh_token").asString();
        assertThat(first).isNotBlank();

        JsonNode second = OAuth.json(refresh(PUBLIC_CLIENT, first, 200));
        String secondRefresh = second.get("refresh_token").asString();
        assertThat(secondRefresh).isNotBlank().isNotEqualTo(first);
        assertThat(second.get("id_token").asString()).isNotBlank();
        JsonNode third = OAuth.json(refresh(PUBLIC_CLIENT, secondRefresh, 200));
        String thirdRefresh = third.get("refresh_token").asString();
        assertThat(thirdRefresh).isNotEqualTo(secondRefresh);
        assertThat(OAuth.isActive(browser, third.get("access_token").asString())).isTrue();

        Browser.Response reuse = refresh(PUBLIC_CLIENT, first, 400);
        assertThat(OAuth.json(reuse).get("error").asString()).isEqualTo("invalid_grant");

        assertThat(OAuth.json(refresh(PUBLIC_CLIENT, thirdRefresh, 400)).get("error").asString())
                .isEqualTo("invalid_grant");
        assertThat(OAuth.isActive(browser, third.get("access_token").asString())).isFalse();
        assertThat(OAuth.isActive(browser, tokens.get("access_token").asString())).isFalse();
    }

    @Test
    void publicClientRefreshTokensLiveShorterThanConfidentialOnes() {
        JsonNode tokens = signIn();
        Long publicSeconds = jdbc.queryForObject("SELECT EXTRACT(EPOCH FROM (t.expires_at - t.issued_at))::bigint "
                + "FROM authorization_tokens t JOIN authorizations a ON a.id = t.authorization_id "
                + "WHERE t.token_type = 'refresh_token' AND t.current_token = TRUE AND a.principal_name = "
                + "(SELECT id::text FROM users WHERE email = ?)", Long.class, email);
        assertThat(publicSeconds).isEqualTo(7L * 24 * 3600);
        assertThat(tokens.get("refresh_token")).isNotNull();
    }

    @Test
    void aPublicClientCannotUseAnotherClientsRefreshToken() {
        JsonNode tokens = signIn();
        Browser.Response other = refresh(MOBILE_CLIENT, tokens.get("refresh_token").asString(), 400);
        assertThat(OAuth.json(other).get("error").asString()).isEqualTo("invalid_grant");
        // the rightful client's token still works: a failed attempt by another client is no reuse
        refresh(PUBLIC_CLIENT, tokens.get("refresh_token").asString(), 200);
    }

    @Test
    void clientIdAloneIsNoAuthenticationForConfidentialOrUnknownClients() {
        Browser.Response confidential = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, null,
                OAuth.form("grant_type", "refresh_token", "refresh_token", "whatever", "client_id", CONFIDENTIAL_CLIENT));
        assertThat(confidential.status()).isEqualTo(401);
        assertThat(OAuth.json(confidential).get("error").asString()).isEqualTo("invalid_client");
        Browser.Response unknown = OAuth.post(browser, "/oauth2/token", "nobody", null,
                OAuth.form("grant_type", "refresh_token", "refresh_token", "whatever", "client_id", "nobody"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(OAuth.json(unknown).get("error").asString()).isEqualTo("invalid_client");
        Browser.Response confidentialTokens = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET, OAuth.form("grant_type", "refresh_token", "refresh_token", "whatever"));
        assertThat(OAuth.json(confidentialTokens).get("error").asString()).isEqualTo("invalid_grant");
    }

    private JsonNode signIn() {
        String verifier = OAuth.randomVerifier();
        Browser session = new Browser();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(PUBLIC_CLIENT, PUBLIC_REDIRECT,
                "openid email", "spa", verifier), email, PASSWORD);
        Browser.Response response = OAuth.post(session, "/oauth2/token", PUBLIC_CLIENT, null,
                OAuth.form("grant_type", "authorization_code", "client_id", PUBLIC_CLIENT,
                        "code", callback.locationParam("code"), "redirect_uri", PUBLIC_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(response);
        assertThat(tokens.has("refresh_token")).as("a public client with refresh_token gets one: " + tokens).isTrue();
        return tokens;
    }

    private Browser.Response refresh(String clientId, String refreshToken, int expectedStatus) {
        Map<String, String> form = OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", clientId);
        Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, null, form);
        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        return response;
    }
}
