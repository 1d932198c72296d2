package io.latchkey.config;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import io.latchkey.support.OwnDatabase;
import io.latchkey.support.PostgresTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line, called in-process as {@code main} would, on a fresh database of its own: a dry run that changes
 * nothing, an import, a second import that is all unchanged, exports to a file and to standard output, a refused
 * file with every problem listed, and wrong command lines.
 */
class ConfigCommandTest {

    @RegisterExtension
    final OwnDatabase database = new OwnDatabase();

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void importsWithADryRunFirstThenExports() throws Exception {
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("command-line-secret-0123456789");
        String userHash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("command line passphrase");
        Path file = directory.resolve("latchkey.yaml");
        Files.writeString(file, """
                version: 1
                clients:
                  - client-id: cli-machine
                    confidential: true
                    secret-hash: "%s"
                    grant-types: [client_credentials]
                    scopes: [api.read]
                roles:
                  - name: operator
                    description: Rotates keys
                    permissions: [keys:read, keys:rotate]
                users:
                  - email: Operator@Example.test
                    name: Operator
                    email-verified: true
                    password-hash: "%s"
                    roles: [operator]
                """.formatted(hash, userHash));

        assertThat(run("config", "import", "--file", file.toString(), "--dry-run")).as(errText()).isZero();
        assertThat(outText()).contains("create    client cli-machine", "create    role   operator",
                "create    user   Operator@Example.test", "Dry run, nothing changed: 3 to create, 0 to update, 0 unchanged");
        JdbcTemplate jdbc = jdbc();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM roles WHERE name = 'operator'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users", Integer.class)).isZero();

        assertThat(run("config", "import", "--file", file.toString())).as(errText()).isZero();
        assertThat(outText()).contains("Imported: 3 created, 0 updated, 0 unchanged");
        assertThat(jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE client_id = "
                + "'cli-machine'", String.class)).isEqualTo(hash);
        assertThat(jdbc.queryForList("SELECT permission FROM role_permissions WHERE role_name = 'operator' "
                + "ORDER BY permission", String.class)).containsExactly("keys:read", "keys:rotate");
        assertThat(jdbc.queryForObject("SELECT password_hash FROM users WHERE email_normalized = "
                + "'operator@example.test'", String.class)).isEqualTo(userHash);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CONFIGURATION_IMPORTED' "
                + "AND details LIKE '%command-line%'", Integer.class)).isEqualTo(2);

        assertThat(run("config", "import", "--file", file.toString())).isZero();
        assertThat(outText()).contains("unchanged client cli-machine", "Imported: 0 created, 0 updated, 3 unchanged");

        String registeredId = jdbc.queryForObject("SELECT id FROM oauth2_registered_client WHERE client_id = "
                + "'cli-machine'", String.class);
        jdbc.update("INSERT INTO authorizations (id, registered_client_id, principal_name, grant_type, expires_at) "
                + "VALUES ('cli-authorization', ?, 'cli-machine', 'client_credentials', CURRENT_TIMESTAMP + INTERVAL "
                + "'1 hour')", registeredId);
        Path disabling = directory.resolve("disable.yaml");
        Files.writeString(disabling, Files.readString(file).replace("    scopes: [api.read]\n",
                "    scopes: [api.read]\n    enabled: false\n"));
        assertThat(run("config", "import", "--file", disabling.toString())).as(errText()).isZero();
        assertThat(outText()).contains("update    client cli-machine (enabled)");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM authorizations WHERE registered_client_id = ?",
                Integer.class, registeredId)).as("a client the import disables keeps no stored token").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CLIENT_DISABLED' "
                + "AND subject = 'client:cli-machine'", Integer.class)).isOne();
        assertThat(run("config", "import", "--file", file.toString())).isZero();
        assertThat(outText()).contains("update    client cli-machine (enabled)");

        Path exported = directory.resolve("export.json");
        assertThat(run("config", "export", "--format", "json", "--with-users", "--file", exported.toString()))
                .as(errText()).isZero();
        String json = Files.readString(exported);
        assertThat(json).contains("\"client-id\" : \"cli-machine\"", "\"secret-hash\" : \"" + hash.replace("$", "$"),
                "\"password-hash\" : \"" + userHash, "\"name\" : \"operator\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exported))).isEqualTo("rw-------");

        assertThat(run("config", "export", "--format=yaml")).isZero();
        assertThat(outText()).contains("client-id: cli-machine", "secret-hash: \"" + hash + "\"")
                .doesNotContain("\nusers:", "password-hash");
    }

    @Test
    void aRefusedFileListsEveryProblemAndChangesNothing() throws Exception {
        Path file = directory.resolve("bad.json");
        Files.writeString(file, """
                {"version": 1,
                 "clients": [{"client-id": "bad", "grant-types": ["authorization_code"],
                              "redirect-uris": ["http://bad.example/cb"]}],
                 "roles": [{"name": "bad", "permissions": ["root"]}],
                 "users": [{"email": "x@example.test", "password-hash": "hunter2"}]}
                """);
        assertThat(run("config", "import", "--file", file.toString())).isOne();
        assertThat(errText()).contains("is refused, nothing was changed", "clients[0].redirect-uris:",
                "roles[0].permissions[0]:", "users[0].password-hash:").doesNotContain("hunter2");
        JdbcTemplate jdbc = jdbc();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM roles WHERE name = 'bad'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CONFIGURATION_IMPORTED' "
                + "AND details LIKE '%refused%'", Integer.class)).isOne();

        Files.writeString(file, "{\"version\": 1, \"roles\": [");
        assertThat(run("config", "import", "--file", file.toString())).isOne();
        assertThat(errText()).contains("(document): not valid JSON");
        assertThat(run("config", "import", "--file", directory.resolve("missing.yaml").toString())).isOne();
        assertThat(errText()).contains("Cannot read");
    }

    @Test
    void aWrongCommandLineShowsTheUsage() {
        assertThat(run("config")).isEqualTo(2);
        assertThat(errText()).contains("usage: java -jar latchkey.jar config export");
        assertThat(run("config", "import")).isEqualTo(2);
        assertThat(errText()).contains("config import needs --file");
        assertThat(run("config", "export", "--dry-run")).isEqualTo(2);
        assertThat(run("config", "export", "--format", "xml")).isEqualTo(2);
        assertThat(run("config", "export", "--colour")).isEqualTo(2);
        assertThat(ConfigCommand.requested(new String[] { "config", "export" })).isTrue();
        assertThat(ConfigCommand.requested(new String[] { "--server.port=8080" })).isFalse();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--latchkey.db.url=" + database.url());
        all.add("--latchkey.db.user=" + PostgresTestDatabase.user());
        all.add("--latchkey.db.password=" + PostgresTestDatabase.password());
        return ConfigCommand.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String outText() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private JdbcTemplate jdbc() {
        return new JdbcTemplate(new DriverManagerDataSource(database.url(), PostgresTestDatabase.user(),
                PostgresTestDatabase.password()));
    }
}
