package io.latchkey.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.PASSWORD;
import static io.latchkey.api.ApiClient.claims;
import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.MOBILE_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens for the API say they are for the API: the audience {@code {issuer}/api}, the scopes
 * {@code latchkey.account} and {@code latchkey.admin}, and who may get them.
 */
@IntegrationTest
class ApiScopesTest extends UsersInDatabaseTest {

    static final String API_AUDIENCE = ISSUER + "/api";

    private final ApiClient api = new ApiClient();

    @Test
    void aRelyingPartysTokenForAnAdministratorIsRefusedByEveryOperation() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "rp-admin");
        ApiClient.User victim = ApiClient.user(jdbc, passwordEncoder, "rp-victim");
        String relyingParty = codeFlowToken(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT, admin, "openid");
        assertThat(audience(relyingParty)).containsExactly(CONFIDENTIAL_CLIENT);
        // a client allowed the API scopes that did not ask for them gets a token for itself too
        String trustedWithoutApiScopes = ApiClient.token(admin, "openid profile roles");
        assertThat(audience(trustedWithoutApiScopes)).containsExactly(TRUSTED_CLIENT);
        // the password grant of a first-party client that is not the API's client
        String passwordGrant = OAuth.json(OAuth.post(new Browser(), "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", admin.email(), "password", PASSWORD, "scope", "openid")))
                .get("access_token").asString();

        for (String token : List.of(relyingParty, trustedWithoutApiScopes, passwordGrant)) {
            for (Browser.Response response : everyOperation(token, victim.id())) {
                problem(response, 401);
                assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
            }
        }
        assertThat(jdbc.queryForList("SELECT role_name FROM user_roles WHERE user_id = ?", String.class, victim.id()))
                .containsExactly("user");
        assertThat(jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, victim.id())).isTrue();
        assertThat(jdbc.queryForObject("SELECT name FROM users WHERE id = ?", String.class, admin.id()))
                .isEqualTo("Name of rp-admin");
    }

    @Test
    void theAdminScopeFromAnAllowedClientWithThePermissionAdministers() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "scope-admin");
        ApiClient.User target = ApiClient.user(jdbc, passwordEncoder, "scope-target");
        String token = ApiClient.token(admin, "openid latchkey.admin");
        JsonNode claims = claims(token);
        assertThat(audience(token)).containsExactly(API_AUDIENCE);
        assertThat(claims.get("client_id").asString()).isEqualTo(TRUSTED_CLIENT);

        Browser.Response found = api.get("/api/v1/users/" + target.id(), token);
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(OAuth.json(found).get("email").asString()).isEqualTo(target.email());
        assertThat(api.post("/api/v1/users/" + target.id() + "/disable", token, null).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, target.id())).isFalse();
        assertThat(api.post("/api/v1/users/" + target.id() + "/enable", token, null).status()).isEqualTo(204);

        // the scope alone is not enough: the user needs the permission (and /users/me the account scope)
        ApiClient.User plain = ApiClient.user(jdbc, passwordEncoder, "scope-plain");
        String plainToken = ApiClient.token(plain, "openid latchkey.admin");
        for (Browser.Response response : everyOperation(plainToken, target.id())) {
            problem(response, 403);
        }
        // and the admin scope does not open the user's own account
        problem(api.get("/api/v1/users/me", token), 403);
    }

    @Test
    void theAdminScopeIsGrantedOnlyWithConsentEvenToAClientThatNeedsNoneOtherwise() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "consent-admin");
        Browser browser = new Browser();
        String verifier = OAuth.randomVerifier();
        browser.signIn(admin.email(), PASSWORD);
        Browser.Response consent = browser.follow(browser.get(CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "openid profile latchkey.admin", "c1", verifier)));
        assertThat(consent.uri().getPath()).isEqualTo("/oauth2/consent");
        assertThat(consent.body()).contains("latchkey.admin")
                .contains("Administer Latchkey as you: find, change, disable and delete users");
        String german = browser.get(consent.uri().toString(), "Accept", "text/html", "Accept-Language", "de").body();
        assertThat(german).contains("Latchkey in Ihrem Namen verwalten: Benutzer suchen, ändern, sperren und löschen");

        // the user unticks the admin scope: the client gets the rest, and a token that is not for the API
        Browser.Response withoutAdmin = browser.postForm("/oauth2/authorize", List.of(
                Map.entry("client_id", TRUSTED_CLIENT), Map.entry("state", state(consent)), Map.entry("scope", "profile"),
                Map.entry("_csrf", consent.csrf())));
        JsonNode tokens = redeem(browser, withoutAdmin, verifier);
        assertThat(tokens.get("scope").asString().split(" ")).containsExactlyInAnyOrder("openid", "profile");
        problem(api.get("/api/v1/users", tokens.get("access_token").asString()), 401);

        // asked again and allowed: an admin token; from then on no consent page for it
        String second = OAuth.randomVerifier();
        Browser.Response again = browser.follow(browser.get(CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "openid profile latchkey.admin", "c2", second)));
        assertThat(again.uri().getPath()).isEqualTo("/oauth2/consent");
        JsonNode adminTokens = redeem(browser, CodeFlow.approveAll(browser, again), second);
        assertThat(adminTokens.get("scope").asString().split(" ")).contains("latchkey.admin");
        assertThat(api.get("/api/v1/users", adminTokens.get("access_token").asString()).status()).isEqualTo(200);

        String third = OAuth.randomVerifier();
        Browser.Response noConsent = browser.get(CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "openid latchkey.admin", "c3", third));
        assertThat(noConsent.location()).startsWith(TRUSTED_REDIRECT + "?code=");
    }

    @Test
    void aClientNotDeclaredWithAnApiScopeNeverGetsIt() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "undeclared");
        Browser browser = new Browser();
        browser.signIn(admin.email(), PASSWORD);
        for (String scope : List.of("latchkey.admin", "latchkey.account")) {
            Browser.Response refused = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                    "openid " + scope, "u", OAuth.randomVerifier()));
            assertThat(refused.location()).startsWith(CONFIDENTIAL_REDIRECT);
            assertThat(refused.locationParam("error")).isEqualTo("invalid_scope");
            assertThat(refused.locationParam("code")).isNull();

            Browser.Response password = OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                    OAuth.form("grant_type", "password", "username", admin.email(), "password", PASSWORD, "scope", scope));
            assertThat(password.status()).isEqualTo(400);
            assertThat(OAuth.json(password).get("error").asString()).isEqualTo("invalid_scope");

            Browser.Response machine = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                    OAuth.form("grant_type", "client_credentials", "scope", scope));
            assertThat(machine.status()).isEqualTo(400);
            assertThat(OAuth.json(machine).get("error").asString()).isEqualTo("invalid_scope");

            JsonNode apiLogin = problem(api.post("/api/v1/auth/login", null, "{\"username\":\"" + admin.email()
                    + "\",\"password\":\"" + PASSWORD + "\",\"scope\":\"" + scope + "\"}"), 400);
            assertThat(ApiClient.fieldMessages(apiLogin, "scope")).isNotEmpty();
        }
    }

    @Test
    void usersMeNeedsTheAccountScopeOrTheFirstPartyClient() {
        ApiClient.User user = ApiClient.user(jdbc, passwordEncoder, "me-scope");
        String account = ApiClient.token(user, "openid latchkey.account");
        assertThat(audience(account)).containsExactly(API_AUDIENCE);
        Browser.Response me = api.get("/api/v1/users/me", account);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(OAuth.json(me).get("id").asString()).isEqualTo(user.id().toString());
        assertThat(api.call("PATCH", "/api/v1/users/me", account, "{\"name\":\"Changed\"}").status()).isEqualTo(200);

        problem(api.get("/api/v1/users/me", ApiClient.token(user, "openid latchkey.admin")), 403);
        problem(api.get("/api/v1/users/me", ApiClient.token(user, "openid profile")), 401);
        problem(api.call("PATCH", "/api/v1/users/me", ApiClient.token(user, "openid latchkey.admin"),
                "{\"name\":\"Not allowed\"}"), 403);
        assertThat(jdbc.queryForObject("SELECT name FROM users WHERE id = ?", String.class, user.id())).isEqualTo("Changed");
    }

    @Test
    void tokensOfTheFirstPartyApiClientAreForTheApiAndItsOwnAccountOnly() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "mobile-admin");
        ApiClient.User target = ApiClient.user(jdbc, passwordEncoder, "mobile-target");
        JsonNode login = OAuth.json(api.post("/api/v1/auth/login", null,
                "{\"username\":\"" + admin.email() + "\",\"password\":\"" + PASSWORD + "\"}"));
        String token = login.get("access_token").asString();
        JsonNode claims = claims(token);
        assertThat(audience(token)).containsExactly(API_AUDIENCE);
        assertThat(claims.get("client_id").asString()).isEqualTo(MOBILE_CLIENT);
        assertThat(api.get("/api/v1/users/me", token).status()).isEqualTo(200);
        // an administrator, but the API's client is not declared with latchkey.admin
        problem(api.get("/api/v1/users/" + target.id(), token), 403);

        JsonNode refreshed = OAuth.json(api.post("/api/v1/auth/refresh", null,
                "{\"refresh_token\":\"" + login.get("refresh_token").asString() + "\"}"));
        String next = refreshed.get("access_token").asString();
        assertThat(audience(next)).containsExactly(API_AUDIENCE);
        assertThat(api.get("/api/v1/users/me", next).status()).isEqualTo(200);

        // the same client through the token endpoint: the same audience
        Browser.Response grant = OAuth.post(new Browser(), "/oauth2/token", MOBILE_CLIENT, null, OAuth.form("grant_type",
                "password", "client_id", MOBILE_CLIENT, "username", admin.email(), "password", PASSWORD, "scope", "openid"));
        assertThat(audience(OAuth.json(grant).get("access_token").asString())).containsExactly(API_AUDIENCE);
    }

    /** Every operation of the API that needs a token, aimed at the target user. */
    private List<Browser.Response> everyOperation(String token, UUID target) {
        String user = "/api/v1/users/" + target;
        return List.of(
                api.get("/api/v1/users/me", token),
                api.call("PATCH", "/api/v1/users/me", token, "{\"name\":\"pwned\"}"),
                api.post("/api/v1/users/me/password", token,
                        "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"another long passphrase 9\"}"),
                api.get("/api/v1/users", token),
                api.get("/api/v1/users?q=rp", token),
                api.get(user, token),
                api.call("PATCH", user, token, "{\"enabled\":false}"),
                api.call("PUT", user + "/roles", token, "{\"roles\":[\"admin\"]}"),
                api.post(user + "/disable", token, null),
                api.post(user + "/enable", token, null),
                api.post(user + "/force-password-reset", token, null),
                api.call("DELETE", user, token, null));
    }

    /** The token's {@code aud}: a string for one audience (RFC 7519 section 4.1.3), an array for more. */
    private static List<String> audience(String jwt) {
        JsonNode aud = claims(jwt).get("aud");
        List<String> audience = new java.util.ArrayList<>();
        if (aud.isArray()) {
            aud.forEach(value -> audience.add(value.asString()));
        }
        else {
            audience.add(aud.asString());
        }
        return audience;
    }

    private static String codeFlowToken(String clientId, String secret, String redirect, ApiClient.User user,
            String scope) {
        Browser browser = new Browser();
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(clientId, redirect, scope, "s", verifier),
                user.email(), PASSWORD);
        Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, secret, OAuth.form("grant_type",
                "authorization_code", "code", callback.locationParam("code"), "redirect_uri", redirect,
                "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    private static JsonNode redeem(Browser browser, Browser.Response callback, String verifier) {
        assertThat(callback.location()).startsWith(TRUSTED_REDIRECT + "?code=");
        Browser.Response response = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET, OAuth.form(
                "grant_type", "authorization_code", "code", callback.locationParam("code"), "redirect_uri",
                TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private static String state(Browser.Response consentPage) {
        return consentPage.body().replaceAll("(?s).*name=\"state\"\\s+value=\"([^\"]+)\".*", "$1");
    }
}
