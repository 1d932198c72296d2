package io.latchkey.database;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Whether the database can be reached, shared by everything in this instance. A connection failure reported
 * by anyone ({@link #reportFailure}) is checked at once with a fresh connection; if that fails too, the
 * database counts as unreachable: requests are answered 503 without touching it ({@link DatabaseOutageFilter})
 * and background jobs skip their runs. A probe then tries a fresh connection every
 * {@code latchkey.db.outage-probe-interval} and, once one works, drops the pool's old connections and opens
 * the gate again. No restart is needed.
 *
 * <p>The confirming check keeps one broken connection (a backend killed by an operator, a connection a
 * firewall dropped) from turning the whole instance away. The outage is logged once when it starts and once
 * when it ends, never with a stack trace per request or per job run.
 */
public final class DatabaseAvailability implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

    /** Opens a fresh connection (not one from the pool) and checks it; throws when that fails. */
    interface Probe {
        void check() throws Exception;
    }

    private final Probe probe;
    private final Runnable dropPooledConnections;
    private final Duration probeInterval;
    private final Duration retryAfter;
    private final ScheduledExecutorService probes;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean available = true;
    private volatile long unavailableSince;

    DatabaseAvailability(Probe probe, Runnable dropPooledConnections, Duration probeInterval, Duration retryAfter) {
        this.probe = probe;
        this.dropPooledConnections = dropPooledConnections;
        this.probeInterval = probeInterval;
        this.retryAfter = retryAfter;
        this.probes = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "latchkey-database-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** False while the database is known to be unreachable: answer 503, skip the job. */
    public boolean isAvailable() {
        return available;
    }

    /** The {@code Retry-After} of a 503 answered because the database is unreachable. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Reports a failure seen while using the database. Returns whether it was a connection failure
     * ({@link DatabaseFailures#isConnectionFailure}); if so, and the database still counted as available, a
     * fresh connection is tried at once in the background to tell an outage from one broken connection.
     * Callers that get {@code true} should not log the failure themselves: the outage is logged here, once.
     */
    public boolean reportFailure(Throwable failure) {
        if (!DatabaseFailures.isConnectionFailure(failure)) {
            return false;
        }
        if (available && checking.compareAndSet(false, true)) {
            String reported = DatabaseFailures.describe(failure);
            try {
                probes.execute(() -> confirm(reported));
            }
            catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                checking.set(false);
            }
        }
        return true;
    }

    /** Counts a request answered 503 because the database is unreachable. */
    void refused() {
        refused.incrementAndGet();
    }

    private void confirm(String reported) {
        String failure = probeFailure();
        if (failure == null) {
            log.info("A database connection failed ({}), but a new one works: carrying on", reported);
            checking.set(false);
            return;
        }
        unavailableSince = System.nanoTime();
        refused.set(0);
        available = false;
        log.warn("The database is unreachable ({}). Requests are answered 503 and background jobs wait until it is "
                + "back; a new connection is tried every {}", failure, probeInterval);
        dropQuietly();
        schedule();
    }

    private void checkBack() {
        String failure = probeFailure();
        if (failure != null) {
            log.debug("The database is still unreachable: {}", failure);
            schedule();
            return;
        }
        // connections opened before the outage may be dead or cut off: new requests get new ones
        dropQuietly();
        available = true;
        checking.set(false);
        log.info("The database is reachable again after {} ms; {} request(s) were answered 503 meanwhile",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unavailableSince), refused.get());
    }

    private void schedule() {
        try {
            probes.schedule(this::checkBack, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the application is stopping
        }
    }

    /** Null when a fresh connection works, else what went wrong. */
    private String probeFailure() {
        try {
            probe.check();
            return null;
        }
        catch (Exception ex) {
            return DatabaseFailures.describe(ex);
        }
    }

    private void dropQuietly() {
        try {
            dropPooledConnections.run();
        }
        catch (RuntimeException ex) {
            log.debug("Could not evict the pooled connections: {}", ex.getMessage());
        }
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }
}
