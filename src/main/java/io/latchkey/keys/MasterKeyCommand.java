package io.latchkey.keys;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
import org.springframework.context.annotation.Import;

import io.latchkey.runtime.RuntimeMode;

/**
 * Maintenance commands, run as {@code java -jar latchkey.jar --latchkey.command=reseal} (or {@code LATCHKEY_COMMAND}):
 * the command runs in a small application context of its own (the database, Flyway and every
 * {@link MasterKeyDependent}; no web server, no schedules, no client or admin bootstrap), so it may run beside
 * serving instances, with the same settings, and exits when done.
 *
 * <p>{@value #RESEAL}: re-seals every signing key (and every other sealed secret) under the current master key,
 * then reports what is still stored under previous master keys: the hashed tokens and links that keep a previous
 * key needed until they expire.
 */
public final class MasterKeyCommand {

    public static final String PROPERTY = "latchkey.command";
    public static final String RESEAL = "reseal";

    private static final Logger log = LoggerFactory.getLogger(MasterKeyCommand.class);

    private MasterKeyCommand() {
    }

    /**
     * The command asked for: {@code --latchkey.command=...} among the arguments, the system property
     * {@code latchkey.command} or the environment variable {@code LATCHKEY_COMMAND}; null when none is.
     */
    public static String requested(String[] args) {
        String prefix = "--" + PROPERTY + "=";
        String fromArgs = Arrays.stream(args).filter(arg -> arg.startsWith(prefix)).reduce((a, b) -> b)
                .map(arg -> arg.substring(prefix.length())).orElse(null);
        String command = fromArgs != null ? fromArgs
                : System.getProperty(PROPERTY, System.getenv("LATCHKEY_COMMAND"));
        return command == null || command.isBlank() ? null : command.trim();
    }

    /** Runs the requested command; returns the process's exit code (0 when it succeeded). */
    public static int run(String[] args) {
        String command = requested(args);
        if (!RESEAL.equals(command)) {
            log.error("Unknown {} '{}': the only command is '{}'", PROPERTY, command, RESEAL);
            return 2;
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CommandContext.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .run(args)) {
            return SpringApplication.exit(context);
        }
        catch (RuntimeException failed) {
            Throwable cause = failed;
            while (cause.getCause() != null && !(cause instanceof MasterKey.InvalidMasterKeyException)) {
                cause = cause.getCause();
            }
            log.error("{} failed: {}", command, cause.getMessage());
            return 1;
        }
    }

    /**
     * Not a {@code @Configuration}: Latchkey's own component scan must not find it, only {@link #run} uses it.
     * Its scan picks up every {@link MasterKeyDependent} component and nothing else.
     */
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
            FlywayAutoConfiguration.class })
    @ComponentScan(basePackages = "io.latchkey", useDefaultFilters = false,
            includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = MasterKeyDependent.class))
    @Import({ RuntimeMode.class, SigningKeyRepository.class })
    @EnableConfigurationProperties(MasterKeySettings.class)
    static class CommandContext {

        @Bean
        MasterKey masterKey(MasterKeySettings settings, RuntimeMode mode) {
        return MasterKey.resolve(settings.masterKey(), settings.masterKeyPrevious(), mode);
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        ApplicationRunner reseal(MasterKey masterKey, List<MasterKeyDependent> dependents) {
            return (ApplicationArguments arguments) -> {
                int resealed = 0;
                for (MasterKeyDependent dependent : dependents) {
                    resealed += dependent.resealUnderCurrentKey();
                }
                log.info("Re-sealed {} secret(s) under master key {}", resealed, masterKey.currentId());
                new MasterKeyStatus(masterKey, dependents).report();
            };
        }
    }
}
