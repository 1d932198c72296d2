package io.latchkey.oauth;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.endpoint.OAuth2RefreshTokenGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
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
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standard relying party library (Spring Security's OAuth 2 client, as an app with {@code oauth2Login}
 * uses it) configures itself from Latchkey's discovery document, accepts Latchkey's ID tokens, refreshes,
 * and accepts the refreshed ID token with the original {@code auth_time}.
 */
@IntegrationTest
class StandardRelyingPartyTest extends UsersInDatabaseTest {

    @Test
    void relyingPartyConfiguresFromDiscoveryAndValidatesTheIdToken() {
        ClientRegistration registration = ClientRegistrations.fromIssuerLocation(ISSUER)
                .registrationId("latchkey")
                .clientId(CONFIDENTIAL_CLIENT)
                .clientSecret(CONFIDENTIAL_SECRET)
                .redirectUri(CONFIDENTIAL_REDIRECT)
                .scope("openid", "email")
                .build();
        assertThat(registration.getProviderDetails().getAuthorizationUri()).isEqualTo(ISSUER + "/oauth2/authorize");
        assertThat(registration.getProviderDetails().getJwkSetUri()).isEqualTo(ISSUER + "/oauth2/jwks");

        String email = TestUsers.uniqueEmail("rp");
        UUID userId = TestUsers.create(jdbc, passwordEncoder, email, "relying party passphrase", null);
        Browser browser = new Browser();
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid email", "rp", verifier), email, "relying party passphrase");
        JsonNode tokens = OAuth.json(OAuth.post(browser, registration.getProviderDetails().getTokenUri()
                        .substring(ISSUER.length()), CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", verifier)));

        JwtDecoder idTokens = new OidcIdTokenDecoderFactory().createDecoder(registration);
        Jwt idToken = idTokens.decode(tokens.get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(userId.toString());
        assertThat(idToken.getClaimAsString("email")).isEqualTo(email);
        Instant authTime = new OidcIdToken(idToken.getTokenValue(), idToken.getIssuedAt(), idToken.getExpiresAt(),
                idToken.getClaims()).getAuthenticatedAt();
        assertThat(authTime).isNotNull();

        // The relying party refreshes, as an app does when the access token expires, and validates the new ID token.
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                tokens.get("access_token").asString(), Instant.now(), Instant.now().plusSeconds(60));
        OAuth2AccessTokenResponse refreshed = new RestClientRefreshTokenTokenResponseClient().getTokenResponse(
                new OAuth2RefreshTokenGrantRequest(registration, accessToken,
                        new OAuth2RefreshToken(tokens.get("refresh_token").asString(), Instant.now())));
        assertThat(refreshed.getRefreshToken().getTokenValue()).isNotEqualTo(tokens.get("refresh_token").asString());
        Jwt refreshedIdToken = idTokens.decode((String) refreshed.getAdditionalParameters().get("id_token"));
        assertThat(refreshedIdToken.getSubject()).isEqualTo(userId.toString());
        OidcIdToken oidcIdToken = new OidcIdToken(refreshedIdToken.getTokenValue(), refreshedIdToken.getIssuedAt(),
                refreshedIdToken.getExpiresAt(), refreshedIdToken.getClaims());
        assertThat(oidcIdToken.getAuthenticatedAt()).isEqualTo(authTime);
        assertThat(refreshedIdToken.getClaims().get("auth_time")).isInstanceOf(Instant.class);
    }
}
