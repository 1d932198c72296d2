package io.latchkey.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client addresses that no other test uses, for tests that count attempts per client IP (sent as
 * {@code X-Forwarded-For} through the trusted loopback proxy). A random address in a small shared range can be one an
 * earlier test already spent attempts from, and the limit then strikes early; these come from 100.64.0.0/10, which no
 * other test uses, one after the other.
 */
public final class TestAddresses {

    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(0, 1 << 20));

    private TestAddresses() {
    }

    /** An IPv4 address in 100.64.0.0/10 that this test run has not handed out before. */
    public static String unique() {
        int n = NEXT.getAndIncrement() & ((1 << 22) - 1);
        return "100." + (64 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }
}
