package io.latchkey.oauth;

import java.util.List;

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

import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code amr} and {@code acr} of a password sign-in in the ID token, the access token (RFC 9068 with
 * {@code auth_time}) and the introspection answer, after the code flow, the password grant and refreshes (which keep
 * describing the original sign-in); and what discovery advertises about them.
 */
@IntegrationTest
class SignInClaimsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "sign-in claims passphrase 2026";
    private static final String PASSWORD_ACR = "urn:latchkey:acr:password";

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("claims");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Ada Lovelace");
    }

    @Test
    void aPasswordSignInIsPwdAtThePasswordLevelEverywhereAndAfterRefresh() {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "openid email", "s", verifier), email, PASSWORD);
        Browser.Response response = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(response);
        long authTime = assertPasswordSignIn("code", tokens, null);

        JsonNode refreshed = refresh(TRUSTED_CLIENT, TRUSTED_SECRET, tokens.get("refresh_token").asString());
        assertPasswordSignIn("code → refresh", refreshed, authTime);
        JsonNode again = refresh(TRUSTED_CLIENT, TRUSTED_SECRET, refreshed.get("refresh_token").asString());
        assertPasswordSignIn("code → refresh → refresh", again, authTime);
    }

    @Test
    void thePasswordGrantIsAPasswordSignInToo() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", PASSWORD, "scope", "openid"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(response);
        long authTime = assertPasswordSignIn("password grant", tokens, null);
        assertPasswordSignIn("password grant → refresh",
                refresh(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET, tokens.get("refresh_token").asString()), authTime);
    }

    @Test
    void discoveryAdvertisesTheAcrValuesAndTheClaims() {
        JsonNode metadata = OAuth.json(browser.get("/.well-known/openid-configuration"));
        List<String> acrValues = metadata.get("acr_values_supported").valueStream().map(JsonNode::asString).toList();
        assertThat(acrValues).containsExactly(PASSWORD_ACR, "urn:latchkey:acr:mfa",
                "urn:latchkey:acr:phishing-resistant");
        assertThat(metadata.get("claims_supported").valueStream().map(JsonNode::asString).toList())
                .contains("amr", "acr", "auth_time");
    }

    /** Checks the ID token, the access token and its introspection; returns auth_time (equal to {@code authTime}). */
    private long assertPasswordSignIn(String what, JsonNode tokens, Long authTime) {
        JsonNode idToken = ClaimTypes.assertJwtTyped(what + " ID token", tokens.get("id_token").asString(),
                "amr", "acr", "auth_time");
        JsonNode accessToken = ClaimTypes.assertJwtTyped(what + " access token", tokens.get("access_token").asString(),
                "amr", "acr", "auth_time");
        JsonNode introspection = OAuth.introspect(browser, tokens.get("access_token").asString());
        ClaimTypes.assertTyped(what + " introspection", introspection);
        assertThat(introspection.get("active").asBoolean()).isTrue();
        for (JsonNode claims : List.of(idToken, accessToken, introspection)) {
            assertThat(claims.get("amr").valueStream().map(JsonNode::asString).toList()).as(what).containsExactly("pwd");
            assertThat(claims.get("acr").asString()).as(what).isEqualTo(PASSWORD_ACR);
            assertThat(claims.get("auth_time").asLong()).as(what)
                    .isEqualTo(authTime == null ? idToken.get("auth_time").asLong() : authTime);
        }
        return idToken.get("auth_time").asLong();
    }

    private JsonNode refresh(String client, String secret, String refreshToken) {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", client, secret,
                OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }
}
