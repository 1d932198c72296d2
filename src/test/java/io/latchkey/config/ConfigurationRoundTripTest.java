package io.latchkey.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;
import io.latchkey.support.OwnDatabase;
import io.latchkey.support.PostgresTestDatabase;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round trip: clients, roles and a user made on one instance, exported with users, imported into another
 * instance on a fresh database of its own, where the confidential client gets tokens with its original secret and
 * the user signs in with their original password; exported again, the second instance gives the same clients and
 * roles; a second import changes nothing.
 */
class ConfigurationRoundTripTest {

    private static final String PASSWORD = "round trip passphrase 4711";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @RegisterExtension
    final OwnDatabase sourceDatabase = new OwnDatabase();

    @Test
    void anExportImportedIntoAFreshDatabaseReproducesClientsRolesAndUsers() throws Exception {
        String email = TestUsers.uniqueEmail("round-trip");
        String machineSecret;
        String exported;
        try (ConfigurableApplicationContext source = start(sourceDatabase.url())) {
            ClientAdministration clients = source.getBean(ClientAdministration.class);
            machineSecret = clients.create("machine-rt", new ClientDraft("Machine", true, List.of("client_credentials"),
                    List.of(), List.of(), List.of("api.read", "api.write"), null, null, Duration.ofMinutes(5), null,
                    null, null, null), ClientAdministration.ADMINISTERED, "test").secret();
            clients.create("web-rt", new ClientDraft("Web shop", true, List.of("authorization_code", "refresh_token"),
                    List.of("https://shop.example/callback"), List.of("https://shop.example/bye"),
                    List.of("openid", "profile"), true, false, Duration.ofMinutes(10), Duration.ofDays(3),
                    "https://shop.example/logo.png", true, null), ClientAdministration.REGISTERED, "test");
            clients.create("spa-rt", new ClientDraft(null, false, List.of("authorization_code"),
                    List.of("http://127.0.0.1/spa"), List.of(), List.of("openid"), null, null, null, null, null, null,
                    null), ClientAdministration.ADMINISTERED, "test");
            clients.create("retired-rt", new ClientDraft("Retired", true, List.of("client_credentials"), List.of(),
                    List.of(), List.of(), null, null, null, null, null, null, null), ClientAdministration.ADMINISTERED,
                    "test");
            clients.disable("retired-rt", "test");
            String publicKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rt-key").generate()
                    .toPublicJWK().toJSONString();
            clients.create("keyed-rt", new ClientDraft("Keyed", false, List.of("authorization_code"),
                    List.of("https://keyed.example/callback"), List.of(), List.of("openid"), null, null, null, null,
                    null, null, null, new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, null,
                            "{\"keys\":[" + publicKey + "]}", true, true, ClientExtensions.PAIRWISE_SUBJECT, null,
                            "https://keyed.example/api", null)), ClientAdministration.ADMINISTERED, "test");
            JdbcTemplate jdbc = source.getBean(JdbcTemplate.class);
            jdbc.update("INSERT INTO roles (name, description) VALUES ('auditor', 'Reads the audit trail')");
            jdbc.update("INSERT INTO role_permissions (role_name, permission) VALUES ('auditor', 'audit:read')");
            jdbc.update("INSERT INTO role_permissions (role_name, permission) VALUES ('auditor', 'clients:read')");
            var userId = TestUsers.create(jdbc, source.getBean("passwordEncoder", PasswordEncoder.class), email,
                    PASSWORD, "Round Trip");
            jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'auditor')", userId);
            exported = source.getBean(ConfigurationExport.class).export(DocumentFormat.YAML, true, "test");
        }
        assertThat(exported).doesNotContain(machineSecret).contains("secret-hash: \"{bcrypt}$2");

        String targetDatabase = PostgresTestDatabase.create();
        try (ConfigurableApplicationContext target = start(PostgresTestDatabase.url(targetDatabase))) {
            ConfigurationImport importer = target.getBean(ConfigurationImport.class);
            ConfigurationDocument document = importer.read(exported.getBytes(StandardCharsets.UTF_8),
                    DocumentFormat.YAML, "test");
            ImportPlan plan = importer.apply(document, false, null);
            assertThat(plan.items()).filteredOn(item -> item.kind() == ImportPlan.Kind.CLIENT)
                    .extracting(item -> item.name() + " " + item.action())
                    .containsExactlyInAnyOrder("machine-rt CREATE", "web-rt CREATE", "spa-rt CREATE",
                            "retired-rt CREATE", "keyed-rt CREATE");
            assertThat(plan.items()).contains(new ImportPlan.Item(ImportPlan.Kind.ROLE, "auditor",
                    ImportPlan.Action.CREATE, List.of()), new ImportPlan.Item(ImportPlan.Kind.ROLE, "admin",
                    ImportPlan.Action.UNCHANGED, List.of()), new ImportPlan.Item(ImportPlan.Kind.USER, email,
                    ImportPlan.Action.CREATE, List.of()));

            String again = target.getBean(ConfigurationExport.class).export(DocumentFormat.YAML, true, "test");
            JsonNode before = YAML.readTree(exported);
            JsonNode after = YAML.readTree(again);
            assertThat(after.get("clients")).as(again).isEqualTo(before.get("clients"));
            assertThat(after.get("roles")).isEqualTo(before.get("roles"));
            assertThat(user(after, email)).isNotNull().isEqualTo(user(before, email));

            assertThat(target.getBean(ClientAdministration.class).find("keyed-rt").orElseThrow().extensions())
                    .satisfies(keyed -> {
                        assertThat(keyed.privateKeyJwt()).isTrue();
                        assertThat(keyed.jwks()).contains("rt-key");
                        assertThat(keyed.pairwise()).isTrue();
                        assertThat(keyed.requirePushedAuthorizationRequests()).isTrue();
                        assertThat(keyed.dpopBoundAccessTokens()).isTrue();
                        assertThat(keyed.resourceIndicator()).isEqualTo("https://keyed.example/api");
                    });
            Browser server = new Browser(SecondInstance.baseUrl(target));
            Browser.Response token = OAuth.post(server, "/oauth2/token", "machine-rt", machineSecret,
                    OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
            assertThat(token.status()).as("the imported client, with its original secret: " + token.body())
                    .isEqualTo(200);
            assertThat(OAuth.post(server, "/oauth2/token", "machine-rt", machineSecret + "x",
                    OAuth.form("grant_type", "client_credentials")).status()).isEqualTo(401);
            Browser.Response signIn = OAuth.post(server, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                    OAuth.form("grant_type", "password", "username", email, "password", PASSWORD, "scope", "openid"));
            assertThat(signIn.status()).as("the imported user, with the original password: " + signIn.body())
                    .isEqualTo(200);

            ImportPlan second = importer.apply(importer.read(again.getBytes(StandardCharsets.UTF_8),
                    DocumentFormat.YAML, "test"), false, null);
            assertThat(second.items()).allSatisfy(item -> assertThat(item.action()).as(item.toString())
                    .isEqualTo(ImportPlan.Action.UNCHANGED));
        }
        finally {
            PostgresTestDatabase.drop(targetDatabase);
        }
    }

    private static JsonNode user(JsonNode document, String email) {
        List<JsonNode> found = new ArrayList<>();
        document.get("users").forEach(user -> {
            if (user.get("email").asString().equals(email)) {
                found.add(user);
            }
        });
        return found.isEmpty() ? null : found.get(0);
    }

    private static ConfigurableApplicationContext start(String databaseUrl) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("latchkey.db.url", databaseUrl);
        return SecondInstance.start(settings);
    }
}
