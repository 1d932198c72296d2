package io.latchkey.production;

import java.util.List;
import java.util.Locale;

import org.springframework.core.env.Environment;

/**
 * Production runs on PostgreSQL, never on the embedded H2 file of evaluation mode: one file on one machine, no
 * second instance, no managed backups. The URL is never quoted, since it may carry a password.
 */
final class EmbeddedDatabaseRule implements ProductionRule {

    @Override
    public List<String> problems(Environment environment) {
        String url = environment.getProperty("latchkey.db.url");
        if (url == null || url.isBlank()) {
            return List.of("latchkey.db.url (LATCHKEY_DB_URL) is not set: production needs PostgreSQL "
                    + "(jdbc:postgresql://host:5432/database, with latchkey.db.user and latchkey.db.password); the "
                    + "embedded H2 database under latchkey.data-dir is for evaluation only");
        }
        if (url.trim().toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
            return List.of("latchkey.db.url (LATCHKEY_DB_URL) points to an H2 database: production needs PostgreSQL");
        }
        return List.of();
    }
}
