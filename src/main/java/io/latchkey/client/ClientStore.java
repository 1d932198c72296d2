package io.latchkey.client;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Repository;

/**
 * Registered clients as stored, disabled ones included, and where each came from: the {@code source}
 * column says {@value #CONFIGURATION} for clients declared under {@code latchkey.clients.*} and
 * {@code runtime} (the column's default) for clients created while running.
 */
@Repository
class ClientStore {

    static final String CONFIGURATION = "configuration";

    private final JdbcRegisteredClientRepository clients;
    private final JdbcClient jdbc;

    ClientStore(JdbcOperations jdbcOperations, JdbcClient jdbc) {
        this.clients = new JdbcRegisteredClientRepository(jdbcOperations);
        this.jdbc = jdbc;
    }

    /** The client with this client id, enabled or not; null when there is none. */
    RegisteredClient find(String clientId) {
        return clients.findByClientId(clientId);
    }

    void markDeclared(String clientId) {
        jdbc.sql("UPDATE oauth2_registered_client SET source = :source WHERE client_id = :clientId")
                .param("source", CONFIGURATION).param("clientId", clientId).update();
    }

    void setSource(String clientId, String source) {
        jdbc.sql("UPDATE oauth2_registered_client SET source = :source WHERE client_id = :clientId")
                .param("source", source).param("clientId", clientId).update();
    }

    /** Where the client came from; empty when there is no such client. */
    Optional<String> sourceOf(String clientId) {
        return jdbc.sql("SELECT source FROM oauth2_registered_client WHERE client_id = :clientId")
                .param("clientId", clientId).query(String.class).optional();
    }

    /** Client ids whose id or name contains {@code query} (any case), sorted by client id; a page of them. */
    List<String> search(String query, int offset, int limit) {
        return jdbc.sql("SELECT client_id FROM oauth2_registered_client WHERE " + MATCHES
                        + " ORDER BY client_id LIMIT :limit OFFSET :offset")
                .param("pattern", pattern(query)).param("limit", limit).param("offset", offset)
                .query(String.class).list();
    }

    long count(String query) {
        return jdbc.sql("SELECT count(*) FROM oauth2_registered_client WHERE " + MATCHES)
                .param("pattern", pattern(query)).query(Long.class).single();
    }

    /**
     * Deletes the client with its consents; false when there was none. Its tokens went when it was disabled
     * ({@link ClientDisabled}), which a deletion always comes after.
     */
    boolean delete(RegisteredClient client) {
        jdbc.sql("DELETE FROM oauth2_authorization_consent WHERE registered_client_id = :id")
                .param("id", client.getId()).update();
        return jdbc.sql("DELETE FROM oauth2_registered_client WHERE id = :id").param("id", client.getId()).update() == 1;
    }

    private static final String MATCHES = "(LOWER(client_id) LIKE :pattern ESCAPE '\\' "
            + "OR LOWER(client_name) LIKE :pattern ESCAPE '\\')";

    private static String pattern(String query) {
        String plain = query == null ? "" : query.strip().toLowerCase(java.util.Locale.ROOT);
        return "%" + plain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * Client ids of clients whose stored settings contain {@code text}: a coarse first pass over the settings
     * column (serialized JSON), which the caller checks exactly on the loaded client.
     */
    List<String> withSettingsContaining(String text) {
        return jdbc.sql("SELECT client_id FROM oauth2_registered_client WHERE client_settings LIKE :pattern ESCAPE '\\' "
                        + "ORDER BY client_id LIMIT 50")
                .param("pattern", "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .query(String.class).list();
    }

    /** Client ids of every client that came from the configuration, disabled ones included. */
    List<String> declaredClientIds() {
        return jdbc.sql("SELECT client_id FROM oauth2_registered_client WHERE source = :source ORDER BY client_id")
                .param("source", CONFIGURATION).query(String.class).list();
    }
}
