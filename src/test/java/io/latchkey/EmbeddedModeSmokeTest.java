package io.latchkey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.OAuth;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts Latchkey as a new user would, with no database configured: H2 and a generated master key
 * under the data directory. Deliberately not a Spring test, which would configure PostgreSQL.
 */
class EmbeddedModeSmokeTest {

    private static final String SMOKE_SECRET = "smoke-secret-0123456789";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void startsOnH2AndIssuesTokensAndRestartsOnTheSameData(@TempDir Path dataDir) throws Exception {
        String kid;
        try (ConfigurableApplicationContext context = start(dataDir)) {
            assertThat(context.getEnvironment().containsProperty("latchkey.db.url")).isFalse();
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE",
                    Integer.class)).isPositive();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM signing_keys", Integer.class)).isEqualTo(1);
            kid = jdbc.queryForObject("SELECT kid FROM signing_keys", String.class);

            Path masterKey = dataDir.resolve("master.key");
            assertThat(masterKey).isRegularFile();
            assertThat(Base64.getDecoder().decode(Files.readString(masterKey, StandardCharsets.US_ASCII).trim()))
                    .hasSize(32);
            assertThat(dataDir.resolve("latchkey.mv.db")).as("the H2 database lives in the data directory")
                    .isRegularFile();

            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
                    + "WHERE u.email_normalized = 'admin@localhost' AND r.role_name = 'admin'", Integer.class))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?",
                    Integer.class, "demo-client")).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE client_id = ?",
                    String.class, "smoke")).startsWith("{bcrypt}$2");

            String accessToken = clientCredentialsToken(port(context));
            assertThat(kidOf(accessToken)).isEqualTo(kid);
        }

        // A restart on the same data directory reuses the master key, so the stored signing key still opens.
        try (ConfigurableApplicationContext context = start(dataDir)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("SELECT kid FROM signing_keys", String.class)).containsExactly(kid);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM users WHERE email_normalized = 'admin@localhost'",
                    Integer.class)).isEqualTo(1);
            assertThat(kidOf(clientCredentialsToken(port(context)))).isEqualTo(kid);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(LatchkeyApplication.class).run("--server.port=0",
                "--latchkey.data-dir=" + dataDir,
                "--latchkey.clients.smoke.secret=" + SMOKE_SECRET,
                "--latchkey.clients.smoke.grant-types=client_credentials",
                "--latchkey.clients.smoke.scopes=api.read");
    }

    private static int port(ConfigurableApplicationContext context) {
        Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
        assertThat(port).isNotNull().isPositive();
        return port;
    }

    private String clientCredentialsToken(int port) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", OAuth.basic("smoke", SMOKE_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=api.read"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = OAuth.json(response.body());
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("scope").asString()).isEqualTo("api.read");
        String accessToken = body.get("access_token").asString();
        assertThat(accessToken.split("\\.")).hasSize(3);
        return accessToken;
    }

    private static String kidOf(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                StandardCharsets.UTF_8);
        return OAuth.json(header).get("kid").asString();
    }
}
