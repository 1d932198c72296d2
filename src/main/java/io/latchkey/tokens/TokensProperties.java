package io.latchkey.tokens;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The authorization store's housekeeping, under {@code latchkey.tokens}.
 *
 * @param purgeInterval how often each instance deletes expired and revoked authorizations
 * @param purgeRetention how long an expired or revoked authorization is kept before it is deleted
 * @param purgeBatchSize rows deleted per statement, so a purge never holds long locks
 */
@ConfigurationProperties("latchkey.tokens")
public record TokensProperties(Duration purgeInterval, Duration purgeRetention, Integer purgeBatchSize) {

    public TokensProperties {
        purgeInterval = purgeInterval == null ? Duration.ofMinutes(10) : purgeInterval;
        purgeRetention = purgeRetention == null ? Duration.ofDays(1) : purgeRetention;
        purgeBatchSize = purgeBatchSize == null ? 1000 : purgeBatchSize;
        if (purgeBatchSize < 1 || purgeBatchSize > 100_000) {
            throw new IllegalArgumentException("latchkey.tokens.purge-batch-size must be between 1 and 100000");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("latchkey.tokens.purge-interval must be positive");
        }
    }
}
