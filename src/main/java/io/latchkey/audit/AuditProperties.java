package io.latchkey.audit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit trail's housekeeping and exports, under {@code latchkey.audit}.
 *
 * @param retention how long an event is kept before the purge deletes it ({@code LATCHKEY_AUDIT_RETENTION}),
 *        default 400 days
 * @param purgeInterval how often one instance deletes events older than the retention
 *        ({@code LATCHKEY_AUDIT_PURGE_INTERVAL}), default 1 hour
 * @param exportMaxRows the most events one export writes ({@code LATCHKEY_AUDIT_EXPORT_MAX_ROWS}), default 100000
 */
@ConfigurationProperties("latchkey.audit")
public record AuditProperties(Duration retention, Duration purgeInterval, Integer exportMaxRows) {

    public AuditProperties {
        retention = retention == null ? Duration.ofDays(400) : retention;
        purgeInterval = purgeInterval == null ? Duration.ofHours(1) : purgeInterval;
        exportMaxRows = exportMaxRows == null ? 100_000 : exportMaxRows;
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("latchkey.audit.retention must be positive");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("latchkey.audit.purge-interval must be positive");
        }
        if (exportMaxRows < 1 || exportMaxRows > 10_000_000) {
            throw new IllegalArgumentException("latchkey.audit.export-max-rows must be between 1 and 10000000");
        }
    }
}
