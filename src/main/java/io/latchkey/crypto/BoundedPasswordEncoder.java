package io.latchkey.crypto;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.admission.Admission;

/**
 * Lets at most a fixed number of password hashes run at once. Hashing is deliberately slow, and a flood
 * of logins would otherwise occupy every request thread and every core; with this bound, requests that
 * hash queue here (for at most the wait bound, then {@link PasswordHashingBusyException}) while token,
 * JWKS and introspection requests keep getting served. Waiting and hashing happen with the request's
 * admission turn given back ({@link Admission#outside}): they need no database connection.
 *
 * <p>The hash itself runs on a small pool of platform threads, one per permit. On Java 21+ requests run
 * on virtual threads, which are not preempted: a quarter-second hash on a virtual thread would hold one
 * of the few carrier threads and stall every other request behind it.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore permits;
    private final long maxWaitMillis;
    private final Admission admission;
    private final ExecutorService hashingThreads;

    BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrentHashes, long maxWaitMillis, Admission admission) {
        this.delegate = delegate;
        this.permits = new Semaphore(maxConcurrentHashes, true);
        this.maxWaitMillis = maxWaitMillis;
        this.admission = admission;
        AtomicInteger count = new AtomicInteger();
        this.hashingThreads = Executors.newFixedThreadPool(maxConcurrentHashes, work -> {
            Thread thread = new Thread(work, "latchkey-hashing-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return admission.outside(() -> bounded(() -> delegate.encode(rawPassword)));
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        return admission.outside(() -> bounded(() -> delegate.matches(rawPassword, encodedPassword)));
    }

    private <T> T bounded(Supplier<T> hashing) {
        acquire();
        try {
            return CompletableFuture.supplyAsync(hashing, hashingThreads).join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw ex;
        }
        finally {
            permits.release();
        }
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS)) {
                throw new PasswordHashingBusyException();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new PasswordHashingBusyException();
        }
    }

    int availablePermits() {
        return permits.availablePermits();
    }
}
