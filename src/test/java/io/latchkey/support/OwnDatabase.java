package io.latchkey.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An empty PostgreSQL database for each test of a class that starts whole instances of its own
 * ({@code @RegisterExtension final OwnDatabase database = new OwnDatabase();}), dropped after the test.
 */
public final class OwnDatabase implements BeforeEachCallback, AfterEachCallback {

    private String name;

    @Override
    public void beforeEach(ExtensionContext context) {
        name = PostgresTestDatabase.create();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PostgresTestDatabase.drop(name);
        name = null;
    }

    /** The JDBC URL of this test's database. */
    public String url() {
        return PostgresTestDatabase.url(name);
    }
}
