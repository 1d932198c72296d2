package io.latchkey.runtime;

import java.nio.file.Path;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether Latchkey runs in its embedded evaluation mode (no database configured, H2 under the data
 * directory) or against a real database. Evaluation mode may generate what production must be given.
 */
@Component
public class RuntimeMode {

    private final boolean embedded;
    private final Path dataDir;

    public RuntimeMode(Environment environment) {
        this.embedded = !environment.containsProperty("latchkey.db.url");
        this.dataDir = Path.of(environment.getProperty("latchkey.data-dir", "./data"));
    }

    public boolean isEmbedded() {
        return embedded;
    }

    /** Where evaluation mode keeps its database and generated master key. */
    public Path dataDir() {
        return dataDir;
    }
}
