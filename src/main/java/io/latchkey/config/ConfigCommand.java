package io.latchkey.config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The command line of configuration as code, run as {@code java -jar latchkey.jar config export [--format yaml|json]
 * [--with-users] [--file F]} or {@code config import --file F [--dry-run]}, with the same settings as the server
 * ({@code LATCHKEY_DB_URL}, ... or {@code --latchkey.db.url=...}). It runs in a small application context of its own
 * (the database, Flyway, client administration, the audit trail, the deletion of a disabled client's tokens; no web
 * server, no schedules, no bootstrap), so it may
 * run beside serving instances: they hear of every changed client at once (client change notifications). The plan of
 * an import is printed; a refused document prints every problem with its path and exits with 1 (2 for a wrong
 * command line).
 */
public final class ConfigCommand {

    public static final String COMMAND = "config";

    static final String USAGE = """
            usage: java -jar latchkey.jar config export [--format yaml|json] [--with-users] [--file FILE]
                   java -jar latchkey.jar config import --file FILE [--dry-run]
            (with the server's settings: LATCHKEY_DB_URL ... or --latchkey.db.url=...)""";

    private ConfigCommand() {
    }

    /** Whether the arguments ask for this command ({@code config ...} first). */
    public static boolean requested(String[] args) {
        return args.length > 0 && COMMAND.equals(args[0]);
    }

    /** From {@code main}: the log kept to warnings, so that an export to standard output is the document alone. */
    public static int runFromMain(String[] args) {
        List<String> quiet = new ArrayList<>(List.of(args));
        quiet.add("--logging.level.root=WARN");
        return run(quiet.toArray(String[]::new), System.out, System.err);
    }

    /** Runs the command; returns the process's exit code: 0 done, 1 refused or failed, 2 a wrong command line. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException wrong) {
            err.println(wrong.getMessage());
            err.println(USAGE);
            return 2;
        }
        byte[] text = null;
        if (options.importing()) {
            try {
                text = Files.readAllBytes(options.file());
            }
            catch (IOException | RuntimeException unreadable) {
                err.println("Cannot read " + options.file() + ": " + unreadable.getClass().getSimpleName());
                return 1;
            }
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CommandContext.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(Map.of("spring.main.register-shutdown-hook", "false"))
                .run(options.springArguments().toArray(String[]::new))) {
            return options.importing() ? importFile(context, options, text, out, err) : export(context, options, out);
        }
        catch (IOException failed) {
            err.println("config " + options.action() + " failed: " + failed.getClass().getSimpleName() + " "
                    + failed.getMessage());
            return 1;
        }
        catch (RuntimeException failed) {
            Throwable cause = failed;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            err.println("config " + options.action() + " failed: " + cause.getClass().getSimpleName());
            return 1;
        }
    }

    private static int export(ConfigurableApplicationContext context, Options options, PrintStream out)
            throws IOException {
        String document = context.getBean(ConfigurationExport.class).export(options.format(), options.withUsers(),
                ConfigurationImport.COMMAND_LINE);
        if (options.file() == null) {
            out.print(document);
            out.flush();
        }
        else {
            Files.writeString(options.file(), document, StandardCharsets.UTF_8);
            if (options.withUsers()) {
                // the file holds password hashes: readable by its owner only, where the file system can say so
                try {
                    Files.setPosixFilePermissions(options.file(),
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                }
                catch (UnsupportedOperationException notPosix) {
                    // not a POSIX file system: left as the platform made it
                }
            }
            out.println("Exported to " + options.file());
        }
        return 0;
    }

    private static int importFile(ConfigurableApplicationContext context, Options options, byte[] text,
            PrintStream out, PrintStream err) {
        ConfigurationImport importer = context.getBean(ConfigurationImport.class);
        DocumentFormat format = options.format() != null ? options.format() : formatOfName(options.file());
        try {
            ConfigurationDocument document = importer.read(text, format, ConfigurationImport.COMMAND_LINE);
            out.print(importer.apply(document, options.dryRun(), null).describe());
            out.flush();
            return 0;
        }
        catch (DocumentRefused refused) {
            err.println(options.file() + " is refused, nothing was changed:");
            for (DocumentProblem problem : refused.problems()) {
                err.println("  " + (problem.path().isEmpty() ? "(document)" : problem.path()) + ": "
                        + problem.message());
            }
            return 1;
        }
    }

    /** JSON for a {@code .json} file, else YAML (which reads JSON too). */
    private static DocumentFormat formatOfName(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? DocumentFormat.JSON
                : DocumentFormat.YAML;
    }

    record Options(String action, DocumentFormat format, boolean withUsers, boolean dryRun, Path file,
            List<String> springArguments) {

        boolean importing() {
            return "import".equals(action);
        }

        static Options parse(String[] args) {
            if (args.length < 2 || !List.of("export", "import").contains(args[1])) {
                throw new IllegalArgumentException("config needs export or import");
            }
            String action = args[1];
            DocumentFormat format = null;
            boolean withUsers = false;
            boolean dryRun = false;
            Path file = null;
            List<String> spring = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                String arg = args[i];
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
                switch (name) {
                    case "--format" -> {
                        String value = inline != null ? inline : ++i < args.length ? args[i] : null;
                        format = DocumentFormat.named(value);
                        if (format == null) {
                            throw new IllegalArgumentException("--format must be yaml or json");
                        }
                    }
                    case "--file" -> {
                        String value = inline != null ? inline : ++i < args.length ? args[i] : null;
                        if (value == null || value.isBlank()) {
                            throw new IllegalArgumentException("--file needs a file name");
                        }
                        file = Path.of(value);
                    }
                    case "--with-users" -> withUsers = true;
                    case "--dry-run" -> dryRun = true;
                    default -> {
                        if (arg.startsWith("--") && name.contains(".") && inline != null) {
                            spring.add(arg);
                        }
                        else {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                    }
                }
            }
            if ("import".equals(action)) {
                if (file == null) {
                    throw new IllegalArgumentException("config import needs --file");
                }
                if (withUsers) {
                    throw new IllegalArgumentException("--with-users is for export: an import takes the users its "
                            + "file holds");
                }
            }
            else {
                if (dryRun) {
                    throw new IllegalArgumentException("--dry-run is for import");
                }
                format = format == null ? DocumentFormat.YAML : format;
            }
            return new Options(action, format, withUsers, dryRun, file, spring);
        }
    }

    /**
     * Not a {@code @Configuration}: Latchkey's own component scan must not find it, only {@link #run} uses it. Its
     * scan picks, by name, the few components an export and an import need and nothing else (no web, no schedules,
     * no start-up bootstrap of clients or admins).
     */
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
            FlywayAutoConfiguration.class })
    @ComponentScan(basePackages = "io.latchkey", useDefaultFilters = false, includeFilters = @ComponentScan.Filter(
            type = FilterType.REGEX, pattern = {
                    "io\\.latchkey\\.client\\.(ClientAdministration|ClientStore|ClientRegistrations|ClientConfiguration)",
                    "io\\.latchkey\\.audit\\.(AuditLog|AuditRepository)",
                    // a client the import disables loses its stored tokens, as when the server disables it
                    "io\\.latchkey\\.tokens\\.(DisabledClientTokens|AuthorizationRecords)",
                    "io\\.latchkey\\.config\\.(ConfigurationExport|ConfigurationImport|RoleStore|UserStore)" }))
    static class CommandContext {

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        /** Client administration needs one; an import never hashes (it carries hashes), an export never does. */
        @Bean
        PasswordEncoder passwordEncoder() {
            return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(12)));
        }
    }
}
