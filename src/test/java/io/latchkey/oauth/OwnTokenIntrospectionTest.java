package io.latchkey.oauth;

import java.util.UUID;

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
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.RESOURCE_SERVER_CLIENT;
import static io.latchkey.support.TestServerInitializer.RESOURCE_SERVER_SECRET;
import static io.latchkey.support.TestServerInitializer.STORED_CC_CLIENT;
import static io.latchkey.support.TestServerInitializer.STORED_CC_SECRET;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection answers a client for its own tokens only; another client's token is {@code {"active":false}},
 * unless the caller is declared a resource server. Stored user tokens, refresh tokens, stateless and stored
 * client-credentials tokens alike.
 */
@IntegrationTest
class OwnTokenIntrospectionTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "introspection test passphrase";

    private final Browser browser = new Browser();
    private String email;
    private UUID userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("introspect");
        userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Introspected");
    }

    @Test
    void aUsersTokensAreIntrospectedByTheirClientAndResourceServersOnly() {
        JsonNode tokens = signIn();
        for (String token : new String[] { tokens.get("access_token").asString(), tokens.get("refresh_token").asString() }) {
            JsonNode own = introspect(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, token);
            assertThat(own.get("active").asBoolean()).isTrue();
            assertThat(own.get("client_id").asString()).isEqualTo(CONFIDENTIAL_CLIENT);

            assertInactive(introspect(TRUSTED_CLIENT, TRUSTED_SECRET, token));
            assertInactive(introspect(STORED_CC_CLIENT, STORED_CC_SECRET, token));

            JsonNode resourceServer = introspect(RESOURCE_SERVER_CLIENT, RESOURCE_SERVER_SECRET, token);
            assertThat(resourceServer.get("active").asBoolean()).isTrue();
            assertThat(resourceServer.get("client_id").asString()).isEqualTo(CONFIDENTIAL_CLIENT);
        }
        JsonNode access = introspect(RESOURCE_SERVER_CLIENT, RESOURCE_SERVER_SECRET, tokens.get("access_token").asString());
        assertThat(access.get("sub").asString()).isEqualTo(userId.toString());
    }

    @Test
    void statelessAndStoredClientCredentialsTokensFollowTheSameRule() {
        String stateless = clientCredentials(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET);
        assertThat(introspect(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, stateless).get("active").asBoolean()).isTrue();
        assertInactive(introspect(TRUSTED_CLIENT, TRUSTED_SECRET, stateless));
        assertInactive(introspect(STORED_CC_CLIENT, STORED_CC_SECRET, stateless));
        assertThat(introspect(RESOURCE_SERVER_CLIENT, RESOURCE_SERVER_SECRET, stateless).get("client_id").asString())
                .isEqualTo(CONFIDENTIAL_CLIENT);

        String stored = clientCredentials(STORED_CC_CLIENT, STORED_CC_SECRET);
        assertThat(introspect(STORED_CC_CLIENT, STORED_CC_SECRET, stored).get("active").asBoolean()).isTrue();
        assertInactive(introspect(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, stored));
        assertThat(introspect(RESOURCE_SERVER_CLIENT, RESOURCE_SERVER_SECRET, stored).get("client_id").asString())
                .isEqualTo(STORED_CC_CLIENT);
    }

    private JsonNode signIn() {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid", "i", verifier), email, PASSWORD);
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private String clientCredentials(String clientId, String secret) {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    private JsonNode introspect(String clientId, String secret, String token) {
        Browser.Response response = OAuth.post(browser, "/oauth2/introspect", clientId, secret, OAuth.form("token", token));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    /** RFC 7662 section 2.2: nothing but {@code active: false}, as for a token that does not exist. */
    private static void assertInactive(JsonNode answer) {
        assertThat(answer.toString()).isEqualTo("{\"active\":false}");
    }
}
