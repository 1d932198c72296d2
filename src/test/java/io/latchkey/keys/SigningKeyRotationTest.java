package io.latchkey.keys;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation of the signing key on the running server: the JWKS keeps publishing retired keys until they
 * expire, tokens signed before a rotation keep verifying, and private keys are stored only sealed.
 * The context is shared with other test classes, so every assertion is about kids this test saw.
 */
@IntegrationTest
class SigningKeyRotationTest {

    @Autowired
    SigningKeys signingKeys;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MasterKey masterKey;

    private final Browser browser = new Browser();

    @Test
    void rotationPublishesBothKeysAndTokensSignedByEitherVerify() {
        String oldToken = clientCredentialsToken();
        String oldKid = kidOf(oldToken);
        assertThat(oldKid).isEqualTo(signingKeys.active().kid());

        signingKeys.rotateNow();

        String newKid = signingKeys.active().kid();
        assertThat(newKid).isNotEqualTo(oldKid);

        JsonNode jwks = jwks();
        assertThat(kids(jwks)).contains(oldKid, newKid);
        for (JsonNode key : jwks.get("keys")) {
            assertThat(key.has("kid")).as(key.toString()).isTrue();
            assertThat(key.get("alg").asString()).as(key.toString()).isEqualTo("RS256");
            assertThat(key.get("use").asString()).as(key.toString()).isEqualTo("sig");
            assertThat(key.get("kty").asString()).as(key.toString()).isEqualTo("RSA");
            for (String privatePart : List.of("d", "p", "q", "dp", "dq", "qi", "oth")) {
                assertThat(key.has(privatePart)).as(privatePart + " in " + key).isFalse();
            }
        }

        JwtDecoder verifier = verifierFromJwksEndpoint();
        Jwt old = verifier.decode(oldToken);
        assertThat(old.getHeaders()).containsEntry("kid", oldKid);
        assertThat(old.getSubject()).isEqualTo(CONFIDENTIAL_CLIENT);

        String newToken = clientCredentialsToken();
        assertThat(kidOf(newToken)).isEqualTo(newKid);
        Jwt renewed = verifier.decode(newToken);
        assertThat(renewed.getHeaders()).containsEntry("kid", newKid);
        assertThat(renewed.getClaimAsString("scope")).isEqualTo("api.read");

        Map<String, Object> oldRow = jdbc.queryForMap("SELECT retired_at, published_until FROM signing_keys WHERE kid = ?",
                oldKid);
        Map<String, Object> newRow = jdbc.queryForMap("SELECT retired_at, published_until FROM signing_keys WHERE kid = ?",
                newKid);
        assertThat(oldRow.get("retired_at")).isNotNull();
        assertThat(instant(oldRow.get("published_until"))).isAfter(Instant.now().plus(KeysProperties.LONGEST_TOKEN_LIFETIME)
                .minusSeconds(60));
        assertThat(newRow.get("retired_at")).isNull();
        assertThat(newRow.get("published_until")).isNull();
    }

    @Test
    void retiredKeyPastItsPublicationIsDeletedAndLeavesTheJwks() {
        String retiredKid = signingKeys.active().kid();
        signingKeys.rotateNow();
        String activeKid = signingKeys.active().kid();
        assertThat(kids(jwks())).contains(retiredKid, activeKid);

        int updated = jdbc.update("UPDATE signing_keys SET published_until = ? WHERE kid = ?",
                Timestamp.from(Instant.now().minusSeconds(60)), retiredKid);
        assertThat(updated).isEqualTo(1);

        signingKeys.rotateIfDue();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM signing_keys WHERE kid = ?", Integer.class, retiredKid))
                .isZero();
        assertThat(signingKeys.active().kid()).isEqualTo(activeKid);
        List<String> published = kids(jwks());
        assertThat(published).doesNotContain(retiredKid).contains(activeKid);
    }

    @Test
    void rotationCheckWhenNotDueChangesNothing() {
        String kid = signingKeys.active().kid();
        Integer rowsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM signing_keys", Integer.class);

        signingKeys.rotateIfDue();

        assertThat(signingKeys.active().kid()).isEqualTo(kid);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM signing_keys", Integer.class)).isEqualTo(rowsBefore);
        assertThat(jdbc.queryForList("SELECT kid FROM signing_keys WHERE retired_at IS NULL", String.class))
                .containsExactly(kid);
        assertThat(kidOf(clientCredentialsToken())).isEqualTo(kid);
    }

    @Test
    void privateKeysAreStoredOnlySealedUnderTheMasterKey() {
        signingKeys.rotateNow();
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT kid, algorithm, public_jwk, private_jwk_encrypted FROM signing_keys");
        assertThat(rows).isNotEmpty();
        List<String> kids = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String kid = (String) row.get("kid");
            kids.add(kid);
            String publicJwk = (String) row.get("public_jwk");
            String sealed = (String) row.get("private_jwk_encrypted");

            assertThat(row.get("algorithm")).isEqualTo("RS256");
            assertThat(publicJwk).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
            assertThat(OAuth.json(publicJwk).get("kid").asString()).isEqualTo(kid);
            assertThat(sealed).doesNotContain("\"d\"").doesNotContain("{");

            String[] parts = sealed.split("\\.", -1);
            assertThat(parts).as("JWE compact serialization").hasSize(5);
            assertThat(parts[1]).as("dir has no encrypted key").isEmpty();
            assertThat(parts[2]).isNotEmpty();
            assertThat(parts[3]).isNotEmpty();
            assertThat(parts[4]).isNotEmpty();
            JsonNode header = OAuth.json(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            assertThat(header.get("alg").asString()).isEqualTo("dir");
            assertThat(header.get("enc").asString()).isEqualTo("A256GCM");
            assertThat(header.get("latchkey_bound_to").asString()).as("bound to its signing key").isEqualTo(kid);
            assertThat(header.get("kid").asString()).as("the id of the master key that sealed it")
                    .isEqualTo(masterKey.currentId());
        }
        assertThat(kids).contains(signingKeys.active().kid());
    }

    private String clientCredentialsToken() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String token = OAuth.json(response).get("access_token").asString();
        assertThat(token).isNotBlank();
        return token;
    }

    private JsonNode jwks() {
        Browser.Response response = browser.get("/oauth2/jwks", "Accept", "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private static List<String> kids(JsonNode jwks) {
        List<String> kids = new ArrayList<>();
        jwks.get("keys").forEach(key -> kids.add(key.get("kid").asString()));
        return kids;
    }

    private static String kidOf(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                StandardCharsets.UTF_8);
        return OAuth.json(header).get("kid").asString();
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new AssertionError("Not a timestamp: " + value + " (" + (value == null ? null : value.getClass()) + ")");
    }

    private static JwtDecoder verifierFromJwksEndpoint() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(ISSUER + "/oauth2/jwks").build();
        // ID tokens (no typ, or JWT) and access tokens (at+jwt, RFC 9068)
        JwtTypeValidator types = new JwtTypeValidator("JWT", "at+jwt");
        types.setAllowEmpty(true);
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(new JwtIssuerValidator(ISSUER), types));
        return decoder;
    }
}
