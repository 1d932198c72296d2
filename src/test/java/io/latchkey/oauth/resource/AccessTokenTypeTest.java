package io.latchkey.oauth.resource;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import tools.jackson.databind.JsonNode;

import io.latchkey.client.ClientAdministration;
import io.latchkey.keys.KeysProperties;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 9068 section 2.1 and 4: access tokens are typed {@code at+jwt}, ID tokens are not, and whatever takes
 * Latchkey's access tokens refuses a JWT of another type, even one signed with the server's key.
 */
@IntegrationTest
class AccessTokenTypeTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "access token type passphrase";

    @Autowired
    private ClientAdministration administration;
    @Autowired
    private JwtEncoder encoder;
    @Autowired
    private JwtDecoder decoder;
    @Autowired
    private KeysProperties keys;

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("attype");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Typed");
    }

    @Test
    void accessTokensAreTypedAndIdTokensAreNotAcceptedAsAccessTokens() {
        ResourceTestClients.Client app = ResourceTestClients.app(administration, "attype-app", "openid profile");
        JsonNode tokens = ResourceTestClients.signIn(browser, app, email, PASSWORD, "openid profile");
        String accessToken = tokens.get("access_token").asString();
        String idToken = tokens.get("id_token").asString();

        assertThat(ResourceTestClients.part(accessToken, 0).get("typ").asString()).isEqualTo("at+jwt");
        JsonNode idHeader = ResourceTestClients.part(idToken, 0);
        assertThat(idHeader.has("typ") ? idHeader.get("typ").asString() : "").isNotEqualToIgnoringCase("at+jwt");

        assertThat(bearer("/userinfo", accessToken).status()).isEqualTo(200);
        Browser.Response idAtUserInfo = bearer("/userinfo", idToken);
        assertThat(idAtUserInfo.status()).isEqualTo(401);
        assertThat(bearer("/api/v1/users/me", idToken).status()).isEqualTo(401);
        // neither does introspection take it for an access token
        assertThat(OAuth.introspect(browser, idToken).get("active").asBoolean()).isFalse();
    }

    @Test
    void aJwtSignedByTheServerIsAnAccessTokenOnlyWhenTypedSo() {
        String subject = UUID.randomUUID().toString();
        assertThat(decoder.decode(signed("at+jwt", subject)).getSubject()).isEqualTo(subject);
        assertThat(decoder.decode(signed("application/at+jwt", subject)).getSubject()).isEqualTo(subject);
        for (String type : new String[] { "JWT", "jwt", "logout+jwt", null }) {
            assertThatThrownBy(() -> decoder.decode(signed(type, subject))).as(String.valueOf(type))
                    .isInstanceOf(JwtException.class);
        }
    }

    private String signed(String type, String subject) {
        JwsHeader.Builder header = JwsHeader.with(SignatureAlgorithm.from(keys.algorithm()));
        if (type != null) {
            header.type(type);
        }
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(TestServerInitializer.ISSUER).subject(subject)
                .audience(List.of(TestServerInitializer.ISSUER + "/api")).issuedAt(now).expiresAt(now.plusSeconds(60))
                .id(UUID.randomUUID().toString()).claim("client_id", "attype").build();
        return encoder.encode(JwtEncoderParameters.from(header.build(), claims)).getTokenValue();
    }

    private Browser.Response bearer(String path, String token) {
        return browser.get(path, "Authorization", "Bearer " + token);
    }
}
