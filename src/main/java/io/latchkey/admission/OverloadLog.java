package io.latchkey.admission;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line per ten seconds at most, however many requests were answered 503: under overload a line
 * per request would flood the log just when it is needed.
 */
final class OverloadLog {

    private static final Logger log = LoggerFactory.getLogger(OverloadLog.class);
    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final AtomicLong since = new AtomicLong();
    private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    void busy(String reason) {
        since.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLine.get();
        if (now - last >= INTERVAL_NANOS && lastLine.compareAndSet(last, now)) {
            log.warn("Overloaded: answered {} request(s) with 503 since the last report (latest: {})",
                    since.getAndSet(0), reason);
        }
    }
}
