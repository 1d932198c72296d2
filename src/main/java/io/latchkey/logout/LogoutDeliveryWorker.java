package io.latchkey.logout;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.client.ClientPolicies;

/**
 * Delivers queued logout tokens, on threads of its own and never on a user's request. One dispatcher thread
 * claims due deliveries (every {@code poll-interval}, and at once when this instance queues one) in a short
 * transaction with {@code FOR UPDATE SKIP LOCKED}, so that each goes to one instance only; up to
 * {@code concurrency} sender threads then sign and POST, holding no database connection, and record each
 * attempt's outcome (and an audit event) in another short transaction. A claim is a lease: the row's next
 * attempt moves past the longest an attempt can take, so a delivery whose instance died is tried again by
 * another.
 */
@Component
class LogoutDeliveryWorker implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LogoutDeliveryWorker.class);

    private final LogoutDeliveries deliveries;
    private final LogoutTokens tokens;
    private final RegisteredClientRepository clients;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final BackChannelLogoutProperties properties;
    private final Clock clock;
    private final RetrySchedule retries;
    private final LogoutTokenSender sender;
    private final Semaphore freeSenders;
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private ScheduledExecutorService dispatcher;
    private ExecutorService senders;

    LogoutDeliveryWorker(LogoutDeliveries deliveries, LogoutTokens tokens, RegisteredClientRepository clients,
            TransactionTemplate transactions, AuditLog audit, BackChannelLogoutProperties properties, Clock clock) {
        this.deliveries = deliveries;
        this.tokens = tokens;
        this.clients = clients;
        this.transactions = transactions;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.retries = RetrySchedule.of(properties);
        this.sender = new LogoutTokenSender(properties.connectTimeout(), properties.readTimeout());
        this.freeSenders = new Semaphore(properties.concurrency());
    }

    @Override
    public void afterPropertiesSet() {
        dispatcher = new ScheduledThreadPoolExecutor(1, threads("backchannel-logout-dispatcher"));
        senders = new ThreadPoolExecutor(properties.concurrency(), properties.concurrency(), 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), threads("backchannel-logout-sender-"));
        long interval = properties.pollInterval().toMillis();
        dispatcher.scheduleWithFixedDelay(this::dispatchQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Looks for due deliveries now, off the caller's thread; when the caller is in a transaction, once it has
     * committed (before that, other connections cannot see what it queued).
     */
    void wakeUp() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatchSoon();
                }
            });
        }
        else {
            dispatchSoon();
        }
    }

    private void dispatchSoon() {
        if (pollQueued.compareAndSet(false, true)) {
            try {
                dispatcher.execute(this::dispatchQuietly);
            }
            catch (RejectedExecutionException shuttingDown) {
                pollQueued.set(false);
            }
        }
    }

    private void dispatchQuietly() {
        pollQueued.set(false);
        try {
            dispatch();
        }
        catch (RuntimeException ex) {
            log.warn("Looking for back-channel logout deliveries failed; will look again in {}: {}",
                    properties.pollInterval(), ex.toString());
        }
    }

    private void dispatch() {
        int free = freeSenders.drainPermits();
        if (free == 0) {
            return;
        }
        List<LogoutDeliveries.Delivery> claimed;
        try {
            Instant now = clock.instant();
            claimed = transactions.execute(status -> {
                List<LogoutDeliveries.Delivery> due = deliveries.lockDue(now, free);
                due.forEach(delivery -> deliveries.claim(delivery, now, now.plus(properties.lease())));
                return due;
            });
        }
        catch (RuntimeException ex) {
            freeSenders.release(free);
            throw ex;
        }
        freeSenders.release(free - claimed.size());
        for (LogoutDeliveries.Delivery delivery : claimed) {
            try {
                senders.execute(() -> {
                    try {
                        attempt(delivery);
                    }
                    finally {
                        freeSenders.release();
                        // more may be due than there were free senders
                        dispatchSoon();
                    }
                });
            }
            catch (RejectedExecutionException shuttingDown) {
                // its lease runs out and another instance (or this one after a restart) tries again
                freeSenders.release();
            }
        }
    }

    private void attempt(LogoutDeliveries.Delivery delivery) {
        try {
            RegisteredClient client = clients.findByClientId(delivery.clientId());
            String uri = client == null ? null : ClientPolicies.backchannelLogoutUri(client);
            if (uri == null) {
                record(delivery, new LogoutTokenSender.Result(null, "the client is disabled or has no back-channel "
                        + "logout URI any more"), true);
                return;
            }
            String logoutToken = tokens.issue(delivery);
            record(delivery, sender.send(uri, logoutToken), false);
        }
        catch (InterruptedException ex) {
            // shutting down: the lease runs out and the delivery is tried again
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.warn("Back-channel logout delivery to client {} failed on attempt {}: {}", delivery.clientId(),
                    delivery.attempt(), ex.toString());
            try {
                record(delivery, new LogoutTokenSender.Result(null, ex.getClass().getSimpleName()), false);
            }
            catch (RuntimeException recording) {
                log.warn("Could not record the failed back-channel logout attempt; its lease runs out and it is "
                        + "tried again: {}", recording.toString());
            }
        }
    }

    private void record(LogoutDeliveries.Delivery delivery, LogoutTokenSender.Result result, boolean giveUp) {
        Instant now = clock.instant();
        UUID user = userId(delivery.subject());
        AuditEvent event = AuditEvent.of(result.delivered() ? AuditEventType.BACKCHANNEL_LOGOUT_DELIVERED
                : AuditEventType.BACKCHANNEL_LOGOUT_FAILED)
                .user(user).subject(delivery.clientId())
                .detail("attempt", Integer.toString(delivery.attempt()));
        if (result.httpStatus() != null) {
            event = event.detail("httpStatus", result.httpStatus().toString());
        }
        if (result.delivered()) {
            AuditEvent delivered = event;
            transactions.executeWithoutResult(status -> {
                if (deliveries.delivered(delivery, result.httpStatus(), now)) {
                    audit.record(delivered);
                }
            });
            log.debug("Delivered a logout token to client {} on attempt {}", delivery.clientId(), delivery.attempt());
            return;
        }
        Instant next = giveUp ? null : retries.after(delivery.attempt(), now).orElse(null);
        AuditEvent failed = event.detail("error", result.error())
                .detail("outcome", next == null ? "given up" : "tried again at " + next);
        transactions.executeWithoutResult(status -> {
            boolean recorded = next == null ? deliveries.gaveUp(delivery, result.httpStatus(), result.error())
                    : deliveries.retryAt(delivery, result.httpStatus(), result.error(), next);
            if (recorded) {
                audit.record(failed);
            }
        });
        if (next == null) {
            log.warn("Gave up delivering a logout token to client {} after {} attempt(s): {}", delivery.clientId(),
                    delivery.attempt(), result.error());
        }
        else {
            log.info("Delivering a logout token to client {} failed on attempt {} ({}); trying again at {}",
                    delivery.clientId(), delivery.attempt(), result.error(), next);
        }
    }

    private static UUID userId(String subject) {
        try {
            return UUID.fromString(subject);
        }
        catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        dispatcher.shutdownNow();
        senders.shutdown();
        if (!senders.awaitTermination(properties.readTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            senders.shutdownNow();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix);
            thread.setDaemon(true);
            return thread;
        };
    }
}
