package io.latchkey.admission;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bounded number of turns for requests. Each request takes one turn for its whole life, so that the
 * requests working at once never need more connections than the pool has (each holds at most one at a
 * time). Waiting for a turn is bounded in time and in the number of waiters, on platform and on virtual
 * threads alike.
 *
 * <p>Work that needs no connection but takes long (checking a password, a sign-in slow-down) gives its
 * turn back while it runs ({@link #outside}), so that a flood of sign-ins does not keep token, userinfo
 * and introspection requests waiting. Afterwards the request comes back in at once, ahead of the queue,
 * even when every turn is taken: an admitted request finishes, and a checked password is never thrown
 * away. Such a return is owed ({@code overdrawn}) and settled by the next turn given back, so the bound is
 * exceeded only by the few requests returning from hashing at that moment.
 */
public final class Admission {

    private static final ThreadLocal<Boolean> HOLDING = new ThreadLocal<>();

    private final Semaphore turns;
    private final int maxConcurrent;
    private final int maxQueue;
    private final Duration maxWait;
    private final Duration retryAfter;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger overdrawn = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    public Admission(int maxConcurrent, int maxQueue, Duration maxWait, Duration retryAfter) {
        this.turns = new Semaphore(maxConcurrent);
        this.maxConcurrent = maxConcurrent;
        this.maxQueue = maxQueue;
        this.maxWait = maxWait;
        this.retryAfter = retryAfter;
    }

    /** Takes a turn for the current request; false when none came free in time (answer 503). */
    boolean enter() {
        if (!acquire()) {
            return false;
        }
        HOLDING.set(Boolean.TRUE);
        return true;
    }

    void leave() {
        if (HOLDING.get() != null) {
            HOLDING.remove();
            giveBack();
        }
    }

    /** The current thread keeps its turn taken but passes it on: another thread {@link #adopt adopts} it. */
    void handOver() {
        HOLDING.remove();
    }

    /** The current thread now holds a turn that another thread took and {@link #handOver handed over}. */
    void adopt() {
        HOLDING.set(Boolean.TRUE);
    }

    private void giveBack() {
        int owed;
        do {
            owed = overdrawn.get();
            if (owed == 0) {
                turns.release();
                return;
            }
        }
        while (!overdrawn.compareAndSet(owed, owed - 1));
    }

    /**
     * Runs work that needs no database connection with the current request's turn given back, and takes
     * a turn again afterwards without waiting. Outside a request (no turn held) it just runs the work.
     */
    public <T> T outside(Supplier<T> work) {
        if (HOLDING.get() == null) {
            return work.get();
        }
        HOLDING.remove();
        giveBack();
        try {
            return work.get();
        }
        finally {
            if (!turns.tryAcquire()) {
                overdrawn.incrementAndGet();
            }
            HOLDING.set(Boolean.TRUE);
        }
    }

    public void outside(Runnable work) {
        outside(() -> {
            work.run();
            return null;
        });
    }

    private boolean acquire() {
        if (turns.tryAcquire()) {
            return true;
        }
        if (waiting.incrementAndGet() > maxQueue) {
            waiting.decrementAndGet();
            refused.incrementAndGet();
            return false;
        }
        try {
            if (turns.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
            refused.incrementAndGet();
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        finally {
            waiting.decrementAndGet();
        }
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public int maxQueue() {
        return maxQueue;
    }

    /** Requests waiting for a turn now. */
    public int waiting() {
        return waiting.get();
    }

    /** Requests answered 503 since start. */
    public int refused() {
        return refused.get();
    }
}
