package io.latchkey.crypto;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Lets at most a fixed number of password hashes run at once. Hashing is deliberately slow, and a flood
 * of logins would otherwise occupy every request thread and every core; with this bound, requests that
 * hash queue here while token, JWKS and introspection requests keep getting served.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore permits;
    private final long maxWaitMillis;

    BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrentHashes, long maxWaitMillis) {
        this.delegate = delegate;
        this.permits = new Semaphore(maxConcurrentHashes, true);
        this.maxWaitMillis = maxWaitMillis;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        acquire();
        try {
            return delegate.encode(rawPassword);
        }
        finally {
            permits.release();
        }
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        acquire();
        try {
            return delegate.matches(rawPassword, encodedPassword);
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
