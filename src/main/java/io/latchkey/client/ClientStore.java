package io.latchkey.client;

import java.util.List;

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

    /** Client ids of every client that came from the configuration, disabled ones included. */
    List<String> declaredClientIds() {
        return jdbc.sql("SELECT client_id FROM oauth2_registered_client WHERE source = :source ORDER BY client_id")
                .param("source", CONFIGURATION).query(String.class).list();
    }
}
