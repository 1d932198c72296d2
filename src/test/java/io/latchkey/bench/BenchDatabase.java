package io.latchkey.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The benchmark's own PostgreSQL database on the local server: created empty with a random name, so
 * that the server starts on a fresh schema, and dropped at the end.
 */
final class BenchDatabase implements AutoCloseable {

    static final String USER = "postgres";
    static final String PASSWORD = "";

    private final String host;
    private final int port;
    private final String name;
    private boolean dropped;

    private BenchDatabase(String host, int port, String name) {
        this.host = host;
        this.port = port;
        this.name = name;
    }

    static BenchDatabase create(String host, int port) throws SQLException {
        String name = "latchkey_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        BenchDatabase database = new BenchDatabase(host, port, name);
        database.onMaintenanceDb("CREATE DATABASE " + name);
        return database;
    }

    String name() {
        return name;
    }

    String url() {
        return url(name);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    String serverVersion() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The internal id of a registered client, as stored by the server. */
    String registeredClientId(String clientId) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id FROM oauth2_registered_client WHERE client_id = ?")) {
            statement.setString(1, clientId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("Client " + clientId + " is not registered");
                }
                return rs.getString(1);
            }
        }
    }

    /**
     * How big the authorization store ended up. Token rows stay after they are replaced (rotated refresh
     * tokens are kept for reuse detection), so a long refresh chain accumulates rows under one authorization.
     */
    StoreStats storeStats() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT (SELECT count(*) FROM authorizations), "
                        + "(SELECT count(*) FROM authorization_tokens), "
                        + "(SELECT count(*) FROM authorization_tokens WHERE NOT current_token), "
                        + "(SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM authorization_tokens "
                        + "WHERE authorization_id NOT LIKE 'seed-%' GROUP BY authorization_id) AS per_authorization)")) {
            rs.next();
            return new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }
    }

    record StoreStats(long authorizations, long tokenRows, long retiredTokenRows, long mostRowsInOneAuthorization) {
    }

    /** Drops the database, even while the server still holds connections to it. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (dropped) {
            return;
        }
        try {
            onMaintenanceDb("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            dropped = true;
        }
        catch (SQLException ex) {
            System.err.println("Could not drop database " + name + ": " + ex.getMessage());
        }
    }

    private void onMaintenanceDb(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
