package io.latchkey.oauth;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.jwt.Jwt;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standard relying party library (Spring Security's OAuth 2 client, as an app with {@code oauth2Login}
 * uses it) configures itself from Latchkey's discovery document and accepts Latchkey's ID tokens.
 */
@IntegrationTest
class StandardRelyingPartyTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

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

        Jwt idToken = new OidcIdTokenDecoderFactory().createDecoder(registration).decode(tokens.get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(userId.toString());
        assertThat(idToken.getClaimAsString("email")).isEqualTo(email);
    }
}
