package io.latchkey.client;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import io.latchkey.LatchkeyApplication;
import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;
import io.latchkey.support.OwnDatabase;
import io.latchkey.support.PostgresTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration is the truth for the clients it declares: one database, started again and again with fewer
 * or more declarations, as an operator decommissions a leaked client by deleting its declaration. Its own
 * database, so that the shared test clients are not touched.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeclaredClientsTest {

    private static final String ISSUER = "http://declared-clients.latchkey.test";
    private static final String KEPT_SECRET = "kept-client-secret-0123456789";
    private static final String GONE_SECRET = "gone-client-secret-0123456789";
    private static final String STORED_SECRET = "gone-stored-secret-0123456789";
    private static final String RUNTIME_SECRET = "runtime-client-secret-0123456789";

    private final String masterKey = randomKey();
    @RegisterExtension
    final OwnDatabase database = new OwnDatabase();

    @Test
    void aClientNoLongerDeclaredIsDisabledWithItsTokensAndComesBackWhenDeclaredAgain(CapturedOutput output) {
        String goneToken;
        String goneStoredToken;
        try (ConfigurableApplicationContext first = start(true)) {
            Browser server = browser(first);
            goneToken = token(server, "gone", GONE_SECRET);
            goneStoredToken = token(server, "gone-stored", STORED_SECRET);
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            assertThat(storedAuthorizations(jdbc, "gone-stored")).isOne();
            createRuntimeClient(first);
            assertThat(token(server, "runtime", RUNTIME_SECRET)).isNotBlank();
            assertThat(jdbc.queryForList("SELECT client_id FROM oauth2_registered_client WHERE source = 'configuration' "
                    + "ORDER BY client_id", String.class)).containsExactly("gone", "gone-stored", "kept");
        }

        try (ConfigurableApplicationContext second = start(false)) {
            Browser server = browser(second);
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            for (String clientId : List.of("gone", "gone-stored")) {
                assertThat(output).contains("Client " + clientId
                        + " was declared in configuration and no longer is: disabled, its tokens revoked");
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'CLIENT_DISABLED' "
                        + "AND subject = ?", Integer.class, clientId)).isOne();
            }
            Browser.Response gone = tokenResponse(server, "gone", GONE_SECRET);
            assertThat(gone.status()).isEqualTo(401);
            assertThat(OAuth.json(gone).get("error").asString()).isEqualTo("invalid_client");
            assertThat(tokenResponse(server, "gone-stored", STORED_SECRET).status()).isEqualTo(401);
            assertThat(storedAuthorizations(jdbc, "gone-stored")).as("the stored token of the disabled client is revoked")
                    .isZero();
            assertThat(storedAuthorizations(jdbc, "runtime")).isOne();
            assertThat(active(server, "kept", KEPT_SECRET, goneToken)).isFalse();
            assertThat(active(server, "kept", KEPT_SECRET, goneStoredToken)).isFalse();

            assertThat(token(server, "kept", KEPT_SECRET)).isNotBlank();
            assertThat(token(server, "runtime", RUNTIME_SECRET)).as("a client created at run time is untouched")
                    .isNotBlank();
            assertThat(jdbc.queryForObject("SELECT source FROM oauth2_registered_client WHERE client_id = 'runtime'",
                    String.class)).isEqualTo("runtime");
        }

        try (ConfigurableApplicationContext third = start(true)) {
            Browser server = browser(third);
            String newToken = token(server, "gone", GONE_SECRET);
            assertThat(active(server, "gone", GONE_SECRET, newToken)).isTrue();
            assertThat(active(server, "gone", GONE_SECRET, goneToken))
                    .as("tokens issued before the client was disabled stay revoked").isFalse();
            assertThat(third.getBean(JdbcTemplate.class).queryForObject(
                    "SELECT COUNT(*) FROM audit_events WHERE type = 'CLIENT_ENABLED' AND subject = 'gone'", Integer.class))
                    .isOne();
        }
    }

    private ConfigurableApplicationContext start(boolean withGoneClients) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--latchkey.issuer=" + ISSUER,
                "--latchkey.db.url=" + database.url(),
                "--latchkey.db.user=" + PostgresTestDatabase.user(),
                "--latchkey.db.password=" + PostgresTestDatabase.password(),
                "--latchkey.master-key=" + masterKey));
        arguments.addAll(machineClient("kept", KEPT_SECRET));
        if (withGoneClients) {
            arguments.addAll(machineClient("gone", GONE_SECRET));
            arguments.addAll(machineClient("gone-stored", STORED_SECRET));
            arguments.add("--latchkey.clients.gone-stored.client-credentials-tokens=stored");
        }
        return new SpringApplicationBuilder(LatchkeyApplication.class).run(arguments.toArray(String[]::new));
    }

    private static List<String> machineClient(String clientId, String secret) {
        return List.of("--latchkey.clients." + clientId + ".secret=" + secret,
                "--latchkey.clients." + clientId + ".grant-types=client_credentials",
                "--latchkey.clients." + clientId + ".scopes=api.read");
    }

    /** A client created while running (as the admin console will), not through the configuration. */
    private static void createRuntimeClient(ConfigurableApplicationContext context) {
        context.getBean(RegisteredClientRepository.class).save(RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId("runtime")
                .clientSecret(context.getBean("passwordEncoder", PasswordEncoder.class).encode(RUNTIME_SECRET))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("api.read")
                .build());
    }

    private static int storedAuthorizations(JdbcTemplate jdbc, String clientId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorizations a JOIN oauth2_registered_client c "
                + "ON c.id = a.registered_client_id WHERE c.client_id = ?", Integer.class, clientId);
    }

    private static Browser browser(ConfigurableApplicationContext context) {
        return new Browser("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    private static Browser.Response tokenResponse(Browser server, String clientId, String secret) {
        return OAuth.post(server, "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
    }

    private static String token(Browser server, String clientId, String secret) {
        Browser.Response response = tokenResponse(server, clientId, secret);
        assertThat(response.status()).as(clientId + ": " + response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    private static boolean active(Browser server, String clientId, String secret, String token) {
        Browser.Response response = OAuth.post(server, "/oauth2/introspect", clientId, secret, OAuth.form("token", token));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("active").asBoolean();
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
