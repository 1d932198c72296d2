package io.latchkey.runtime;

import java.nio.file.Path;
import java.util.Locale;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * How Latchkey runs. {@code latchkey.mode} is {@code evaluation} (the default: whatever is missing is generated or
 * relaxed so that {@code ./mvnw spring-boot:run} just works) or {@code production} (Latchkey refuses to start with
 * an unsafe setting, sends HSTS and sets only {@code __Host-} cookies). Independently of the mode, without
 * {@code latchkey.db.url} Latchkey runs embedded, on H2 under the data directory.
 */
@Component
public class RuntimeMode {

    public static final String PROPERTY = "latchkey.mode";

    private final boolean embedded;
    private final boolean production;
    private final Path dataDir;

    public RuntimeMode(Environment environment) {
        this.embedded = !environment.containsProperty("latchkey.db.url");
        this.production = parseProduction(environment.getProperty(PROPERTY));
        this.dataDir = Path.of(environment.getProperty("latchkey.data-dir", "./data"));
    }

    private static boolean parseProduction(String mode) {
        if (mode == null || mode.isBlank()) {
            return false;
        }
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "evaluation" -> false;
            case "production" -> true;
            default -> throw new IllegalStateException(PROPERTY + " (LATCHKEY_MODE) must be 'evaluation' or "
                    + "'production', not '" + mode.trim() + "'");
        };
    }

    public boolean isEmbedded() {
        return embedded;
    }

    /** Whether {@code latchkey.mode=production}: unsafe settings stop the start, cookies are Secure and host-only. */
    public boolean isProduction() {
        return production;
    }

    /** Where evaluation mode keeps its database and generated master key. */
    public Path dataDir() {
        return dataDir;
    }
}
