package io.latchkey.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills the authorization store with live authorizations, as a server with many signed-in users would
 * hold: one row in {@code authorizations} and two in {@code authorization_tokens} (an access token and a
 * refresh token, each under a random-looking 64-hex hash) per authorization. One statement per table.
 *
 * <p>Loading 2M random keys into the token table's primary key one by one is what makes seeding slow, so
 * the token rows are inserted in key order (the hashes stay random-looking; only the order of insertion
 * changes), and the foreign-key check is skipped for this transaction: every token's authorization is
 * inserted just before it, in the same transaction. Neither changes what the server later reads.
 */
final class Seeder {

    private static final String AUTHORIZATIONS = "INSERT INTO authorizations (id, registered_client_id, "
            + "principal_name, grant_type, authorized_scopes, attributes, version, created_at, expires_at) "
            + "SELECT 'seed-' || i, ?, 'seed-user-' || (i % 10000), 'authorization_code', 'openid profile email', "
            + "NULL, 0, now(), now() + interval '14 days' FROM generate_series(?, ?) AS i";

    private static final String TOKENS = "INSERT INTO authorization_tokens (token_hash, authorization_id, token_type, "
            + "issued_at, expires_at, invalidated, current_token, metadata) "
            + "SELECT token.hash, 'seed-' || i, token.type, now(), token.expires_at, FALSE, TRUE, NULL "
            + "FROM generate_series(?, ?) AS i CROSS JOIN LATERAL (VALUES "
            + "(md5(i::text) || md5((i + 7)::text), 'access_token', now() + interval '15 minutes'), "
            + "(md5('r' || i) || md5('r' || (i + 7)), 'refresh_token', now() + interval '14 days')"
            + ") AS token(hash, type, expires_at) "
            // hex in byte order is the index's order: each new key goes to the right end of the index
            + "ORDER BY token.hash COLLATE \"C\"";

    private final BenchDatabase database;
    private final String registeredClientId;
    private long seeded;

    Seeder(BenchDatabase database, String registeredClientId) {
        this.database = database;
        this.registeredClientId = registeredClientId;
    }

    /** Adds authorizations until {@code total} seeded ones are stored, then analyzes both tables. */
    Timing seedUpTo(long total) throws SQLException {
        long from = seeded + 1;
        long started = System.nanoTime();
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET LOCAL session_replication_role = replica"); // no FK trigger per token row
                settings.execute("SET LOCAL work_mem = '256MB'"); // sorts the token rows in memory
            }
            insert(connection, AUTHORIZATIONS, from, total, true);
            insert(connection, TOKENS, from, total, false);
            connection.commit();
        }
        long inserted = System.nanoTime();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE authorizations");
            statement.execute("ANALYZE authorization_tokens");
        }
        long analyzed = System.nanoTime();
        seeded = total;
        return new Timing(total, total - from + 1, (inserted - started) / 1e9, (analyzed - inserted) / 1e9);
    }

    private void insert(Connection connection, String sql, long from, long to, boolean withClient) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            if (withClient) {
                statement.setString(index++, registeredClientId);
            }
            statement.setLong(index++, from);
            statement.setLong(index, to);
            statement.executeUpdate();
        }
    }

    /** How long it took to reach {@code total} seeded authorizations, {@code added} of them in this step. */
    record Timing(long total, long added, double insertSeconds, double analyzeSeconds) {
    }
}
