package io.latchkey.client;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The registered clients every endpoint sees: a disabled client is not found, so it cannot authenticate,
 * be sent to the authorization endpoint, or have a token of its own recognised.
 */
final class EnabledClients implements RegisteredClientRepository {

    private final RegisteredClientRepository stored;

    EnabledClients(RegisteredClientRepository stored) {
        this.stored = stored;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        stored.save(registeredClient);
    }

    @Override
    public RegisteredClient findById(String id) {
        return enabled(stored.findById(id));
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return enabled(stored.findByClientId(clientId));
    }

    private static RegisteredClient enabled(RegisteredClient client) {
        return client == null || ClientPolicies.isDisabled(client) ? null : client;
    }
}
