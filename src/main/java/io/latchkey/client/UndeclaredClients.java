package io.latchkey.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * Configuration is the truth for the clients it declares: a client that was declared in configuration
 * and no longer is gets disabled at start, with every token issued to it revoked, a warning in the log and
 * an audit event. Deleting a leaked client's declaration is how it is decommissioned. Clients created while
 * running are not the configuration's, and are left alone.
 */
@Component
class UndeclaredClients {

    private static final Logger log = LoggerFactory.getLogger(UndeclaredClients.class);

    private final ClientStore store;
    private final ClientRegistrations registrations;
    private final AuditLog audit;

    UndeclaredClients(ClientStore store, ClientRegistrations registrations, AuditLog audit) {
        this.store = store;
        this.registrations = registrations;
        this.audit = audit;
    }

    /** Disables every client from the configuration that is not among {@code declared}; returns their ids. */
    List<String> disableAllBut(Set<String> declared) {
        List<String> disabled = new ArrayList<>();
        for (String clientId : store.declaredClientIds()) {
            RegisteredClient client = declared.contains(clientId) ? null : store.find(clientId);
            if (client == null || ClientPolicies.isDisabled(client)) {
                continue;
            }
            registrations.disable(client);
            log.warn("Client {} was declared in configuration and no longer is: disabled, its tokens revoked", clientId);
            audit.record(AuditEvent.of(AuditEventType.CLIENT_DISABLED).subject(clientId)
                    .detail("reason", "no longer declared in configuration"));
            disabled.add(clientId);
        }
        return disabled;
    }
}
