package io.latchkey.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;

import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;
import io.latchkey.support.OwnDatabase;
import io.latchkey.support.PostgresTestDatabase;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The master-key rotation procedure of the README, on a database of its own: start with key A and issue tokens,
 * links and a signing key; restart with B and previous A, where all of them still work and new ones are under B;
 * re-seal while that instance serves; restart with B alone, where the signing key still signs and verifies under
 * the same kid and what was hashed under A is refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class MasterKeyRotationTest {

    private static final String PASSWORD = "rotation test passphrase";
    private static final String NEW_PASSWORD = "rotation test passphrase, changed";

    private final String keyA = randomKey();
    private final String keyB = randomKey();
    @RegisterExtension
    final OwnDatabase database = new OwnDatabase();

    @Test
    void rotateWithThePreviousKeyThenResealThenDropIt(CapturedOutput output) {
        String resetEmail = TestUsers.uniqueEmail("rotation-reset");
        String pendingEmail = TestUsers.uniqueEmail("rotation-pending");
        String tokenEmail = TestUsers.uniqueEmail("rotation-tokens");
        String kid;
        String idA;
        Tokens underA;
        Tokens spareUnderA;
        String resetTokenUnderA;
        String pendingTokenUnderA;

        try (ConfigurableApplicationContext a = start(keyA, null)) {
            Browser server = browser(a);
            JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
            PasswordEncoder encoder = a.getBean("passwordEncoder", PasswordEncoder.class);
            for (String email : List.of(resetEmail, pendingEmail, tokenEmail)) {
                TestUsers.create(jdbc, encoder, email, PASSWORD, "Rotation");
            }
            idA = a.getBean(MasterKey.class).currentId();
            kid = a.getBean(SigningKeys.class).active().kid();
            underA = passwordGrant(server, tokenEmail, PASSWORD);
            spareUnderA = passwordGrant(server, tokenEmail, PASSWORD);
            assertThat(kidOf(underA.access())).isEqualTo(kid);
            resetTokenUnderA = requestReset(server, resetEmail);
            pendingTokenUnderA = requestReset(server, pendingEmail);
            assertThat(hashKeyId(jdbc, a, underA.refresh())).isEqualTo(idA);
            assertThat(jdbc.queryForList("SELECT DISTINCT hash_key_id FROM account_links", String.class))
                    .containsExactly(idA);
        }

        String unrelated = randomKey();
        assertThatThrownBy(() -> start(keyB, unrelated).close())
                .as("B with a wrong previous key cannot open the signing key sealed under A")
                .satisfies(failure -> assertThat(rootCause(failure))
                        .isInstanceOf(MasterKey.InvalidMasterKeyException.class)
                        .hasMessageContaining("sealed under master key id " + idA)
                        .hasMessageContaining("LATCHKEY_MASTER_KEY_PREVIOUS")
                        .hasMessageNotContaining(keyA).hasMessageNotContaining(keyB).hasMessageNotContaining(unrelated));

        Tokens underB;
        String idB;
        try (ConfigurableApplicationContext b = start(keyB, keyA)) {
            Browser server = browser(b);
            JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
            idB = b.getBean(MasterKey.class).currentId();
            assertThat(idB).isNotEqualTo(idA);
            assertThat(output).contains("Still under previous master key " + idA);

            assertThat(OAuth.isActive(server, underA.access())).as("access token hashed under A").isTrue();
            assertThat(OAuth.isActive(server, spareUnderA.access())).isTrue();
            assertThat(server.get("/userinfo", "Authorization", "Bearer " + underA.access()).status()).isEqualTo(200);
            Tokens refreshed = refresh(server, underA.refresh());
            assertThat(hashKeyId(jdbc, b, refreshed.refresh())).as("a new refresh token is hashed under B").isEqualTo(idB);
            assertThat(hashKeyId(jdbc, b, refreshed.access())).isEqualTo(idB);
            assertThat(refresh(server, underA.refresh(), 400)).as("rotated under A, reused under B: still detected")
                    .contains("invalid_grant");
            assertThat(OAuth.isActive(server, refreshed.access())).as("reuse revoked the family").isFalse();
            assertThat(kidOf(refreshed.access())).as("the signing key sealed under A still signs").isEqualTo(kid);

            assertThat(server.get("/reset-password?token=" + pendingTokenUnderA).body())
                    .as("a pending link hashed under A").contains("id=\"reset-password\"");
            Browser.Response form = server.get("/reset-password?token=" + resetTokenUnderA);
            assertThat(server.postForm("/reset-password", Map.of("token", resetTokenUnderA, "password", NEW_PASSWORD,
                    "confirmPassword", NEW_PASSWORD, "_csrf", form.csrf())).body()).contains("id=\"password-reset-done\"");
            assertThat(passwordGrant(server, resetEmail, NEW_PASSWORD).access()).isNotBlank();

            underB = passwordGrant(server, tokenEmail, PASSWORD);
            assertThat(hashKeyId(jdbc, b, underB.refresh())).isEqualTo(idB);

            int exit = MasterKeyCommand.run(commandArguments(keyB, keyA));
            assertThat(exit).as("the re-seal command, run while B serves").isZero();
            assertThat(output).contains("Re-sealed 1 secret(s) under master key " + idB);
            for (String sealed : jdbc.queryForList("SELECT private_jwk_encrypted FROM signing_keys", String.class)) {
                assertThat(MasterKey.sealedUnder(sealed)).contains(idB);
            }
            assertThat(jdbc.queryForObject("SELECT kid FROM signing_keys WHERE retired_at IS NULL", String.class))
                    .isEqualTo(kid);
            assertThat(kidOf(passwordGrant(server, tokenEmail, PASSWORD).access())).isEqualTo(kid);
            assertThat(MasterKeyCommand.run(commandArguments(keyB, keyA))).as("re-sealing again is harmless").isZero();
            assertThat(output).contains("Re-sealed 0 secret(s) under master key " + idB);
        }

        try (ConfigurableApplicationContext b = start(keyB, null)) {
            Browser server = browser(b);
            JsonNode jwks = OAuth.json(server.get("/oauth2/jwks", "Accept", "application/json"));
            List<String> kids = new ArrayList<>();
            jwks.get("keys").forEach(key -> kids.add(key.get("kid").asString()));
            assertThat(kids).containsExactly(kid);
            NimbusJwtDecoder verifier = NimbusJwtDecoder.withJwkSetUri(SecondInstance.baseUrl(b) + "/oauth2/jwks").build();
            // access tokens are typed at+jwt (RFC 9068)
            verifier.setJwtValidator(JwtValidators.createDefaultWithValidators(new JwtTypeValidator("at+jwt")));
            Tokens fresh = passwordGrant(server, tokenEmail, PASSWORD);
            Jwt verified = verifier.decode(fresh.access());
            assertThat(verified.getHeaders()).containsEntry("kid", kid);
            assertThat(verifier.decode(underA.access()).getHeaders()).containsEntry("kid", kid);

            assertThat(OAuth.isActive(server, underB.access())).as("hashed under B").isTrue();
            assertThat(refresh(server, underB.refresh()).access()).isNotBlank();

            assertThat(OAuth.isActive(server, spareUnderA.access())).as("hashed under A, A dropped").isFalse();
            assertThat(refresh(server, spareUnderA.refresh(), 400)).contains("invalid_grant");
            assertThat(server.get("/reset-password?token=" + pendingTokenUnderA).body())
                    .contains("id=\"reset-link-invalid\"");
        }

        assertThat(MasterKeyCommand.run(commandArguments(keyB, ""))).isZero();
        assertThat(output).contains("tokens and authorization codes (hashed) are under master key " + idA
                + ", which is neither LATCHKEY_MASTER_KEY nor in LATCHKEY_MASTER_KEY_PREVIOUS: they are refused");
    }

    private ConfigurableApplicationContext start(String masterKey, String previous) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("latchkey.db.url", database.url());
        settings.put("latchkey.master-key", masterKey);
        settings.put("latchkey.master-key-previous", previous == null ? "" : previous);
        return SecondInstance.start(settings);
    }

    private String[] commandArguments(String masterKey, String previous) {
        return new String[] { "--latchkey.command=reseal",
                "--latchkey.db.url=" + database.url(),
                "--latchkey.db.user=" + PostgresTestDatabase.user(),
                "--latchkey.db.password=" + PostgresTestDatabase.password(),
                "--latchkey.master-key=" + masterKey,
                "--latchkey.master-key-previous=" + previous };
    }

    private static String hashKeyId(JdbcTemplate jdbc, ConfigurableApplicationContext context, String token) {
        List<String> ids = new ArrayList<>();
        for (TokenHasher.KeyedHash hash : context.getBean(TokenHasher.class).candidates(token)) {
            ids.addAll(jdbc.queryForList("SELECT hash_key_id FROM authorization_tokens WHERE token_hash = ?",
                    String.class, hash.hash()));
        }
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    private static Tokens passwordGrant(Browser server, String email, String password) {
        Browser.Response response = OAuth.post(server, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "password", "username", email, "password", password, "scope", "openid"));
        return tokens(response);
    }

    private static Tokens refresh(Browser server, String refreshToken) {
        return tokens(OAuth.post(server, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken)));
    }

    private static String refresh(Browser server, String refreshToken, int expectedStatus) {
        Browser.Response response = OAuth.post(server, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        return response.body();
    }

    private static Tokens tokens(Browser.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode json = OAuth.json(response);
        return new Tokens(json.get("access_token").asString(), json.get("refresh_token").asString());
    }

    private static String requestReset(Browser server, String email) {
        Browser.Response form = server.get("/forgot-password");
        server.postForm("/forgot-password", Map.of("email", email, "_csrf", form.csrf()));
        String link = TestMailbox.link(TestMailbox.awaitMessage(email, 1), ISSUER + "/reset-password?token=");
        return link.substring(link.indexOf("token=") + "token=".length());
    }

    private static String kidOf(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                StandardCharsets.UTF_8);
        return OAuth.json(header).get("kid").asString();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Browser browser(ConfigurableApplicationContext context) {
        return new Browser(SecondInstance.baseUrl(context));
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private record Tokens(String access, String refresh) {
    }

}
