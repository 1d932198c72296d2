package io.latchkey.tokens;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The authorization store's housekeeping and token lifetimes that hold for every client, under
 * {@code latchkey.tokens}.
 *
 * @param purgeInterval how often each instance deletes expired and revoked authorizations
 * @param purgeRetention how long an expired or revoked authorization is kept before it is deleted
 * @param purgeBatchSize rows deleted per statement, so a purge never holds long locks
 * @param revocationPollInterval how often each instance reads the stateless tokens other instances revoked:
 *        the longest a revocation takes to reach every instance
 * @param refreshFamilyMaxLifetime how long refresh tokens can keep a sign-in going, counted from the sign-in,
 *        however often they rotate (ASVS V10.4.8); after it the user signs in again
 */
@ConfigurationProperties("latchkey.tokens")
public record TokensProperties(Duration purgeInterval, Duration purgeRetention, Integer purgeBatchSize,
        Duration revocationPollInterval, Duration refreshFamilyMaxLifetime) {

    public TokensProperties {
        purgeInterval = purgeInterval == null ? Duration.ofMinutes(10) : purgeInterval;
        purgeRetention = purgeRetention == null ? Duration.ofDays(1) : purgeRetention;
        purgeBatchSize = purgeBatchSize == null ? 1000 : purgeBatchSize;
        revocationPollInterval = revocationPollInterval == null ? Duration.ofSeconds(5) : revocationPollInterval;
        refreshFamilyMaxLifetime = refreshFamilyMaxLifetime == null ? Duration.ofDays(30) : refreshFamilyMaxLifetime;
        if (purgeBatchSize < 1 || purgeBatchSize > 100_000) {
            throw new IllegalArgumentException("latchkey.tokens.purge-batch-size must be between 1 and 100000");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("latchkey.tokens.purge-interval must be positive");
        }
        if (revocationPollInterval.compareTo(Duration.ofMillis(100)) < 0
                || revocationPollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("latchkey.tokens.revocation-poll-interval must be between 100ms and 1m");
        }
        if (refreshFamilyMaxLifetime.isNegative() || refreshFamilyMaxLifetime.isZero()) {
            throw new IllegalArgumentException("latchkey.tokens.refresh-family-max-lifetime must be positive");
        }
    }
}
