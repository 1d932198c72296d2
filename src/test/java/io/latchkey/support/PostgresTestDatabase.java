package io.latchkey.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * One PostgreSQL database per test JVM, created on the local server with a unique name and dropped
 * when the JVM exits. Tests never share state with another run.
 */
public final class PostgresTestDatabase {

    private static final String HOST = System.getenv().getOrDefault("LATCHKEY_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = System.getenv().getOrDefault("LATCHKEY_TEST_PG_PORT", "5432");
    private static final String USER = System.getenv().getOrDefault("LATCHKEY_TEST_PG_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("LATCHKEY_TEST_PG_PASSWORD", "");

    private static String sharedName;

    private PostgresTestDatabase() {
    }

    /** The JDBC URL of this JVM's shared test database. */
    public static synchronized String sharedUrl() {
        if (sharedName == null) {
            sharedName = create();
            String name = sharedName;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name)));
        }
        return url(sharedName);
    }

    /** A fresh database of its own, for a test that needs an empty one; the caller drops it. */
    public static String create() {
        String name = "latchkey_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        execute("CREATE DATABASE " + name);
        return name;
    }

    public static void drop(String name) {
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        catch (RuntimeException ignored) {
            // best effort at JVM exit
        }
    }

    public static String url(String name) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    /** Where the test PostgreSQL server listens, for tests that put something between it and the server. */
    public static String host() {
        return HOST;
    }

    public static int port() {
        return Integer.parseInt(PORT);
    }

    public static String user() {
        return USER;
    }

    public static String password() {
        return PASSWORD;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL on " + HOST + ":" + PORT + " is needed for the tests: "
                    + ex.getMessage(), ex);
        }
    }
}
