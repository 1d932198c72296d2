package io.latchkey.database;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.db.*} settings for database outages.
 *
 * @param connectTimeout longest time to open a database connection: TCP connect and login each (PostgreSQL
 *                       JDBC {@code connectTimeout} and {@code loginTimeout}, whole seconds, at least 1)
 * @param socketTimeout longest wait for any answer from the database on an open connection (PostgreSQL JDBC
 *                      {@code socketTimeout}, whole seconds, at least 1); a statement running longer fails
 * @param outageProbeInterval while the database is unreachable, how often a fresh connection is tried
 * @param outageRetryAfter the {@code Retry-After} of the 503 answered while the database is unreachable
 */
@ConfigurationProperties("latchkey.db")
public record DatabaseOutageProperties(Duration connectTimeout, Duration socketTimeout, Duration outageProbeInterval,
        Duration outageRetryAfter) {

    public DatabaseOutageProperties {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        socketTimeout = socketTimeout == null ? Duration.ofSeconds(10) : socketTimeout;
        outageProbeInterval = outageProbeInterval == null ? Duration.ofSeconds(1) : outageProbeInterval;
        outageRetryAfter = outageRetryAfter == null ? Duration.ofSeconds(5) : outageRetryAfter;
        if (connectTimeout.isNegative() || connectTimeout.isZero() || socketTimeout.isNegative()
                || socketTimeout.isZero()) {
            throw new IllegalArgumentException("latchkey.db.connect-timeout and latchkey.db.socket-timeout must be "
                    + "positive: without them a database that stops answering hangs requests");
        }
        if (outageProbeInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("latchkey.db.outage-probe-interval must be at least 100ms");
        }
    }

    static DatabaseOutageProperties defaults() {
        return new DatabaseOutageProperties(null, null, null, null);
    }

    /** A driver timeout in whole seconds, rounded up: PostgreSQL JDBC takes seconds, and 0 would mean "none". */
    static int seconds(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }
}
