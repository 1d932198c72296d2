package io.latchkey.client;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import io.latchkey.support.IntegrationTest;

import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registered clients are cached; a change announced on the database's notification channel (as another
 * instance announces its changes) evicts the cache.
 */
@IntegrationTest
class ClientCacheInvalidationTest {

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void changeNotifiedByAnotherInstanceIsSeenWithoutRestart() throws InterruptedException {
        assertThat(clients).isInstanceOf(CachingRegisteredClientRepository.class);
        String original = clients.findByClientId(PUBLIC_CLIENT).getClientName();
        try {
            // another instance changes the client: the database changes, this instance's cache does not yet
            jdbc.update("UPDATE oauth2_registered_client SET client_name = 'Renamed elsewhere' WHERE client_id = ?",
                    PUBLIC_CLIENT);
            assertThat(clients.findByClientId(PUBLIC_CLIENT).getClientName()).isEqualTo(original);

            jdbc.query("SELECT pg_notify(?, ?)", rs -> { }, ClientChangeNotifications.CHANNEL, PUBLIC_CLIENT);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (!"Renamed elsewhere".equals(clients.findByClientId(PUBLIC_CLIENT).getClientName())
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(clients.findByClientId(PUBLIC_CLIENT).getClientName()).isEqualTo("Renamed elsewhere");
            assertThat(clients.findById(clients.findByClientId(PUBLIC_CLIENT).getId()).getClientName())
                    .isEqualTo("Renamed elsewhere");
        }
        finally {
            jdbc.update("UPDATE oauth2_registered_client SET client_name = ? WHERE client_id = ?", original, PUBLIC_CLIENT);
            jdbc.query("SELECT pg_notify(?, ?)", rs -> { }, ClientChangeNotifications.CHANNEL, PUBLIC_CLIENT);
        }
    }

    @Test
    void unknownClientIdsAreNotCached() {
        String clientId = "appears-later-" + System.nanoTime();
        assertThat(clients.findByClientId(clientId)).isNull();
        jdbc.update("INSERT INTO oauth2_registered_client (id, client_id, client_id_issued_at, client_secret, "
                + "client_secret_expires_at, client_name, client_authentication_methods, authorization_grant_types, "
                + "redirect_uris, post_logout_redirect_uris, scopes, client_settings, token_settings) "
                + "SELECT ?, ?, client_id_issued_at, client_secret, client_secret_expires_at, client_name, "
                + "client_authentication_methods, authorization_grant_types, redirect_uris, post_logout_redirect_uris, "
                + "scopes, client_settings, token_settings FROM oauth2_registered_client WHERE client_id = ?",
                "id-" + clientId, clientId, PUBLIC_CLIENT);
        assertThat(clients.findByClientId(clientId)).isNotNull();
        jdbc.update("DELETE FROM oauth2_registered_client WHERE client_id = ?", clientId);
    }
}
