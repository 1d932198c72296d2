package io.latchkey.oauth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/** The authorization code flow with PKCE through the hosted pages, and what the issued tokens can do. */
@IntegrationTest
public class AuthorizationCodeFlowTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "correct horse battery staple";

    private final Browser browser = new Browser();
    private final JwtDecoder jwks = verifierFromJwksEndpoint();
    private String email;
    private UUID userId;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("code");
        userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Ada Lovelace");
    }

    @Test
    void confidentialClientLogsInWithPkceAndGetsVerifiableTokens() {
        String verifier = OAuth.randomVerifier();
        String state = "state-" + UUID.randomUUID();
        String nonce = "nonce-" + UUID.randomUUID();
        Instant before = Instant.now().minusSeconds(2);

        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid profile email roles api.read", state, verifier, "nonce", nonce), email, PASSWORD);

        assertThat(callback.location()).startsWith(CONFIDENTIAL_REDIRECT + "?");
        assertThat(callback.locationParam("state")).isEqualTo(state);
        assertThat(callback.locationParam("iss")).isEqualTo(ISSUER);
        String code = callback.locationParam("code");
        assertThat(code).isNotBlank();

        Browser.Response tokenResponse = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", CONFIDENTIAL_REDIRECT,
                        "code_verifier", verifier));
        assertThat(tokenResponse.status()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(tokenResponse.header("Cache-Control")).contains("no-store");
        JsonNode tokens = OAuth.json(tokenResponse);
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asLong()).isBetween(800L, 900L);
        assertThat(tokens.get("refresh_token").asString()).isNotBlank();

        Jwt idToken = jwks.decode(tokens.get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(userId.toString());
        assertThat(idToken.getAudience()).containsExactly(CONFIDENTIAL_CLIENT);
        assertThat(idToken.getClaimAsString("nonce")).isEqualTo(nonce);
        assertThat(idToken.getClaimAsString("email")).isEqualTo(email);
        assertThat(idToken.getClaimAsBoolean("email_verified")).isTrue();
        assertThat(idToken.getClaimAsString("name")).isEqualTo("Ada Lovelace");
        assertThat(idToken.getClaimAsStringList("roles")).containsExactly("user");
        assertThat(idToken.getClaimAsString("sid")).isNotBlank();
        assertThat(idToken.getHeaders()).containsKey("kid");
        Instant authTime = idToken.getClaimAsInstant("auth_time");
        assertThat(authTime).isAfter(before).isBefore(Instant.now().plusSeconds(2));
        String accessToken = tokens.get("access_token").asString();
        assertThat(idToken.getClaimAsString("at_hash")).isEqualTo(UserTokenClaims.leftHalfHash(accessToken));

        Jwt access = jwks.decode(accessToken);
        assertThat(access.getSubject()).isEqualTo(userId.toString());
        assertThat(access.getClaimAsStringList("roles")).containsExactly("user");
        assertThat(access.getClaimAsString("scope").split(" ")).contains("openid", "profile", "email", "api.read");
    }

    @Test
    void idTokenReleasesOnlyWhatItsScopesAllow() {
        String verifier = OAuth.randomVerifier();
        JsonNode tokens = loginAndExchange(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT, "openid", verifier);
        Jwt idToken = jwks.decode(tokens.get("id_token").asString());
        assertThat(idToken.getClaims()).doesNotContainKeys("email", "email_verified", "name", "roles");
        assertThat(idToken.getSubject()).isEqualTo(userId.toString());
    }

    @Test
    void publicClientUsesPkceWithoutSecret() {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(PUBLIC_CLIENT, PUBLIC_REDIRECT,
                "openid email", "s1", verifier), email, PASSWORD);
        Browser.Response tokenResponse = OAuth.post(browser, "/oauth2/token", PUBLIC_CLIENT, null,
                OAuth.form("grant_type", "authorization_code", "client_id", PUBLIC_CLIENT,
                        "code", callback.locationParam("code"), "redirect_uri", PUBLIC_REDIRECT, "code_verifier", verifier));
        assertThat(tokenResponse.status()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(jwks.decode(OAuth.json(tokenResponse).get("id_token").asString()).getClaimAsString("email"))
                .isEqualTo(email);
    }

    @Test
    void publicClientWithoutPkceIsSentBackAnError() {
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(PUBLIC_CLIENT, PUBLIC_REDIRECT,
                "openid", "s2", null), email, PASSWORD);
        assertThat(callback.location()).startsWith(PUBLIC_REDIRECT);
        assertThat(callback.locationParam("error")).isEqualTo("invalid_request");
        assertThat(callback.locationParam("state")).isEqualTo("s2");
        assertThat(callback.locationParam("iss")).isEqualTo(ISSUER);
    }

    @Test
    void refreshRotatesTheRefreshTokenAndTheOldOneStopsWorking() {
        JsonNode tokens = loginAndExchange(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT,
                "openid profile", OAuth.randomVerifier());
        String firstRefresh = tokens.get("refresh_token").asString();

        Browser.Response refreshed = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", firstRefresh));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        JsonNode renewed = OAuth.json(refreshed);
        assertThat(renewed.get("refresh_token").asString()).isNotEqualTo(firstRefresh);
        assertThat(jwks.decode(renewed.get("access_token").asString()).getSubject()).isEqualTo(userId.toString());

        Browser.Response replayed = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", firstRefresh));
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(OAuth.json(replayed).get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void userinfoReturnsTheUsersClaimsForTheAccessTokensScopes() {
        JsonNode tokens = loginAndExchange(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT,
                "openid email", OAuth.randomVerifier());
        Browser.Response userinfo = browser.get("/userinfo", "Authorization",
                "Bearer " + tokens.get("access_token").asString(), "Accept", "application/json");
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        JsonNode claims = OAuth.json(userinfo);
        assertThat(claims.get("sub").asString()).isEqualTo(userId.toString());
        assertThat(claims.get("email").asString()).isEqualTo(email);
        assertThat(claims.has("name")).isFalse();

        Browser.Response noToken = new Browser().get("/userinfo", "Accept", "application/json");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.header("WWW-Authenticate")).startsWith("Bearer");

        Browser.Response forged = browser.get("/userinfo", "Authorization", "Bearer " + tampered(tokens.get("access_token").asString()),
                "Accept", "application/json");
        assertThat(forged.status()).isEqualTo(401);
    }

    @Test
    void revokedAccessAndRefreshTokensAreInactiveInIntrospection() {
        JsonNode tokens = loginAndExchange(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, CONFIDENTIAL_REDIRECT,
                "openid", OAuth.randomVerifier());
        String accessToken = tokens.get("access_token").asString();
        String refreshToken = tokens.get("refresh_token").asString();

        JsonNode active = introspect(accessToken);
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(active.get("sub").asString()).isEqualTo(userId.toString());
        assertThat(active.get("client_id").asString()).isEqualTo(CONFIDENTIAL_CLIENT);

        Browser.Response revoked = OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("token", refreshToken, "token_type_hint", "refresh_token"));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(introspect(refreshToken).get("active").asBoolean()).isFalse();

        OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, OAuth.form("token", accessToken));
        assertThat(introspect(accessToken).get("active").asBoolean()).isFalse();

        Browser.Response refreshAfterRevoke = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(OAuth.json(refreshAfterRevoke).get("error").asString()).isEqualTo("invalid_grant");

        // RFC 7009 2.2: an unknown token is not an error
        Browser.Response unknown = OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("token", "no-such-token"));
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(introspect("no-such-token").get("active").asBoolean()).isFalse();
    }

    @Test
    void authorizationCodeUsedTwiceIsRejectedAndRevokesTheTokensFromTheFirstUse() {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid", "s", verifier), email, PASSWORD);
        var exchange = OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier);
        JsonNode first = OAuth.json(OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange));
        assertThat(introspect(first.get("access_token").asString()).get("active").asBoolean()).isTrue();

        Browser.Response second = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, exchange);
        assertThat(second.status()).isEqualTo(400);
        assertThat(OAuth.json(second).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(introspect(first.get("access_token").asString()).get("active").asBoolean()).isFalse();
        assertThat(introspect(first.get("refresh_token").asString()).get("active").asBoolean()).isFalse();
    }

    @Test
    void missingOrWrongPkceVerifierIsInvalidGrant() {
        String verifier = OAuth.randomVerifier();
        for (String presented : new String[] { null, OAuth.randomVerifier() }) {
            Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT,
                    CONFIDENTIAL_REDIRECT, "openid", "s", verifier), email, PASSWORD);
            var form = OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                    "redirect_uri", CONFIDENTIAL_REDIRECT);
            if (presented != null) {
                form.put("code_verifier", presented);
            }
            Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, form);
            assertThat(response.status()).isEqualTo(400);
            assertThat(OAuth.json(response).get("error").asString()).isEqualTo("invalid_grant");
        }
    }

    @Test
    void mismatchedRedirectUriShowsAnErrorPageAndNeverRedirects() {
        browser.signIn(email, PASSWORD);
        for (String redirect : List.of("http://127.0.0.1/evil", "https://attacker.example/callback",
                CONFIDENTIAL_REDIRECT + "/../evil", "javascript:alert(1)")) {
            Browser.Response response = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, redirect, "openid", "s",
                    OAuth.randomVerifier()));
            assertThat(response.status()).as(redirect).isEqualTo(400);
            assertThat(response.header("Location")).isNull();
            assertThat(response.header("Content-Type")).startsWith("text/html");
            assertThat(response.body()).contains("invalid_request").contains("redirect_uri").doesNotContain("Exception");
        }
    }

    @Test
    void unknownClientShowsAnErrorPageAndNeverRedirects() {
        Browser.Response response = browser.get(CodeFlow.authorizeUrl("no-such-client", CONFIDENTIAL_REDIRECT, "openid",
                "s", OAuth.randomVerifier()));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.body()).contains("invalid_request").contains("client_id");
    }

    @Test
    void deniedConsentSendsAccessDeniedToTheClient() {
        Browser.Response toLogin = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid profile", "deny-me", OAuth.randomVerifier()));
        assertThat(toLogin.location()).startsWith(ISSUER + "/login");
        assertThat(browser.get(toLogin.location()).body()).contains("to continue to Confidential Test App")
                .contains("src=\"/static/latchkey-logo.svg\"");
        Browser.Response consent = browser.follow(browser.signIn(email, PASSWORD));
        assertThat(consent.uri().getPath()).isEqualTo("/oauth2/consent");
        assertThat(consent.body()).contains("Confidential Test App").contains("src=\"/static/latchkey-logo.svg\"");
        String state = consent.body().replaceAll("(?s).*name=\"state\"\\s+value=\"([^\"]+)\".*", "$1");
        Browser.Response denied = browser.postForm("/oauth2/authorize", java.util.Map.of("client_id", CONFIDENTIAL_CLIENT,
                "state", state, "_csrf", consent.csrf()));
        assertThat(denied.location()).startsWith(CONFIDENTIAL_REDIRECT);
        assertThat(denied.locationParam("error")).isEqualTo("access_denied");
        assertThat(denied.locationParam("state")).isEqualTo("deny-me");
        assertThat(denied.locationParam("iss")).isEqualTo(ISSUER);
    }

    @Test
    void clientWithoutRequiredConsentSkipsTheConsentPage() {
        String verifier = OAuth.randomVerifier();
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(CodeFlow.authorizeUrl(io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT,
                io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT, "openid profile", "t", verifier));
        assertThat(response.location()).startsWith(io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT + "?code=");
    }

    private JsonNode loginAndExchange(String clientId, String secret, String redirectUri, String scope, String verifier) {
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(clientId, redirectUri, scope, "st",
                verifier), email, PASSWORD);
        Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", redirectUri, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private JsonNode introspect(String token) {
        return OAuth.introspect(browser, token);
    }

    private static String tampered(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"sub\":\"", "\"sub\":\"0");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    }

    public static JwtDecoder verifierFromJwksEndpoint() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(ISSUER + "/oauth2/jwks").build();
        // ID tokens (no typ, or JWT) and access tokens (at+jwt, RFC 9068)
        JwtTypeValidator types = new JwtTypeValidator("JWT", "at+jwt");
        types.setAllowEmpty(true);
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(new JwtIssuerValidator(ISSUER), types));
        return decoder;
    }
}
