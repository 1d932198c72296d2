package io.latchkey.crypto;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.admission.Admission;

/**
 * Lets at most a fixed number of password hashes run at once. Hashing is deliberately slow, and a flood
 * of logins would otherwise occupy every request thread and every core; with this bound, requests that
 * hash queue here (for at most the wait bound, then {@link PasswordHashingBusyException}) while token,
 * JWKS and introspection requests keep getting served. Waiting and hashing happen with the request's
 * admission turn given back ({@link Admission#outside}): they need no database connection.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore permits;
    private final long maxWaitMillis;
    private final Admission admission;

    BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrentHashes, long maxWaitMillis, Admission admission) {
        this.delegate = delegate;
        this.permits = new Semaphore(maxConcurrentHashes, true);
        this.maxWaitMillis = maxWaitMillis;
        this.admission = admission;
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
            return hashing.get();
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
