package io.latchkey.oauth;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import io.latchkey.support.Browser;
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
import static org.assertj.core.api.Assertions.assertThat;

/** The claim {@code roles} is in the ID token, the access token and userinfo only with the scope {@code roles}. */
@IntegrationTest
class RolesScopeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "roles scope test passphrase";

    private final Browser browser = new Browser();
    private final JwtDecoder jwks = AuthorizationCodeFlowTest.verifierFromJwksEndpoint();
    private String email;

    @BeforeEach
    void createAdmin() {
        email = TestUsers.uniqueEmail("roles");
        UUID id = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Role Holder");
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", id);
    }

    @Test
    void withoutTheRolesScopeNoTokenOrAnswerNamesTheRoles() {
        JsonNode tokens = codeFlow("openid profile email");
        assertThat(jwks.decode(tokens.get("id_token").asString()).getClaims()).doesNotContainKey("roles");
        assertThat(jwks.decode(tokens.get("access_token").asString()).getClaims()).doesNotContainKey("roles");
        assertThat(userInfo(tokens).has("roles")).isFalse();
        assertThat(userInfo(tokens).get("email").asString()).isEqualTo(email);

        JsonNode refreshed = refresh(tokens);
        assertThat(jwks.decode(refreshed.get("id_token").asString()).getClaims()).doesNotContainKey("roles");
        assertThat(jwks.decode(refreshed.get("access_token").asString()).getClaims()).doesNotContainKey("roles");

        JsonNode password = OAuth.json(OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", PASSWORD, "scope", "openid email")));
        assertThat(jwks.decode(password.get("id_token").asString()).getClaims()).doesNotContainKey("roles");
        assertThat(jwks.decode(password.get("access_token").asString()).getClaims()).doesNotContainKey("roles");
    }

    @Test
    void withTheRolesScopeEveryTokenAndAnswerNamesThem() {
        JsonNode tokens = codeFlow("openid roles");
        assertThat(jwks.decode(tokens.get("id_token").asString()).getClaimAsStringList("roles")).containsExactly("admin", "user");
        assertThat(jwks.decode(tokens.get("access_token").asString()).getClaimAsStringList("roles"))
                .containsExactly("admin", "user");
        assertThat(userInfo(tokens).get("roles").toString()).isEqualTo("[\"admin\",\"user\"]");

        JsonNode refreshed = refresh(tokens);
        Jwt refreshedAccess = jwks.decode(refreshed.get("access_token").asString());
        assertThat(refreshedAccess.getClaimAsStringList("roles")).containsExactly("admin", "user");
        assertThat(jwks.decode(refreshed.get("id_token").asString()).getClaimAsStringList("roles"))
                .containsExactly("admin", "user");
    }

    private JsonNode codeFlow(String scope) {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                scope, "r", verifier), email, PASSWORD);
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private JsonNode refresh(JsonNode tokens) {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private JsonNode userInfo(JsonNode tokens) {
        Browser.Response response = browser.get("/userinfo", "Authorization",
                "Bearer " + tokens.get("access_token").asString(), "Accept", "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }
}
