package io.latchkey.logout;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.client.ClientPolicies;
import io.latchkey.session.SessionEnded;

/**
 * When a browser session ends on purpose ({@link SessionEnded}), queues a logout token for every client
 * that got tokens in it and registered a back-channel logout URI, and forgets the session. Queuing is one
 * short transaction (joined with the publisher's, if it has one, so that both commit or neither); the
 * delivery happens later on the {@link LogoutDeliveryWorker}'s threads, so the user's request never waits
 * for a client.
 */
@Component
class SessionEndedLogouts {

    private final SessionClients sessions;
    private final LogoutDeliveries deliveries;
    private final RegisteredClientRepository clients;
    private final TransactionTemplate transactions;
    private final LogoutDeliveryWorker worker;
    private final Clock clock;

    SessionEndedLogouts(SessionClients sessions, LogoutDeliveries deliveries, RegisteredClientRepository clients,
            TransactionTemplate transactions, LogoutDeliveryWorker worker, Clock clock) {
        this.sessions = sessions;
        this.deliveries = deliveries;
        this.clients = clients;
        this.transactions = transactions;
        this.worker = worker;
        this.clock = clock;
    }

    @EventListener
    void on(SessionEnded ended) {
        if (ended.sessionId() == null || ended.userId() == null) {
            return;
        }
        String sid = SessionIds.sid(ended.sessionId());
        List<String> clientIds = sessions.clientsOf(sid, ended.userId());
        if (clientIds.isEmpty()) {
            return;
        }
        List<String> receivers = clientIds.stream().filter(this::takesLogoutTokens).toList();
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            receivers.forEach(clientId -> deliveries.enqueue(clientId, ended.userId(), sid, now));
            sessions.forget(sid);
        });
        if (!receivers.isEmpty()) {
            worker.wakeUp();
        }
    }

    private boolean takesLogoutTokens(String clientId) {
        RegisteredClient client = clients.findByClientId(clientId);
        return client != null && ClientPolicies.backchannelLogoutUri(client) != null;
    }
}
