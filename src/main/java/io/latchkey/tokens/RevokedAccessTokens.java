package io.latchkey.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import io.latchkey.database.DatabaseAvailability;

/**
 * The deny list of stateless access tokens that were revoked before they expire, by {@code jti}. Revoking
 * writes a row to {@code revoked_access_tokens}; checking a token is a lookup in memory only, so
 * introspection, userinfo and the API pay no database query for it. Every instance reads the rows
 * recorded since its last look every {@code latchkey.tokens.revocation-poll-interval}: a revocation made
 * on one instance holds on all of them within that interval. Rows are purged once their token expired
 * ({@link AuthorizationPurge}).
 */
@Component
class RevokedAccessTokens implements InitializingBean, DisposableBean {

    /** The column's size; {@link StatelessAccessTokens} recognises no token whose jti is longer. */
    static final int MAX_JTI_LENGTH = 100;
    /** The JWT decoder accepts a token up to a minute past its {@code exp} (its clock skew): entries outlive it so long. */
    static final Duration EXPIRY_LEEWAY = Duration.ofMinutes(1);
    /**
     * Each look reads this far back before the newest revocation seen, so that a row whose transaction
     * committed after a younger row had been read is still found.
     */
    static final Duration READ_OVERLAP = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(RevokedAccessTokens.class);

    private final RevokedAccessTokenRecords records;
    private final TokensProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final DatabaseAvailability database;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private Instant newestSeen;
    private ScheduledFuture<?> task;

    RevokedAccessTokens(RevokedAccessTokenRecords records, TokensProperties properties, TaskScheduler scheduler,
            Clock clock, DatabaseAvailability database) {
        this.database = database;
        this.records = records;
        this.properties = properties;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    boolean isRevoked(String jti) {
        return revoked.containsKey(jti);
    }

    /**
     * Puts the token on the list until it expires. Stored first: when the database cannot take it, the
     * revocation fails instead of holding on this instance only.
     */
    void revoke(String jti, Instant expiresAt) {
        if (expiresAt.plus(EXPIRY_LEEWAY).isBefore(clock.instant())) {
            return; // no decoder accepts it any more
        }
        try {
            records.insert(jti, expiresAt);
        }
        catch (DuplicateKeyException revokedBefore) {
            // revoking is idempotent
        }
        revoked.put(jti, expiresAt);
    }

    /** Reads what was revoked since the last look (on any instance) and forgets tokens that have expired. */
    synchronized void refresh() {
        Instant now = clock.instant();
        Instant since = newestSeen == null ? Instant.EPOCH : newestSeen.minus(READ_OVERLAP);
        for (RevokedAccessTokenRecords.Revoked row : records.revokedSince(since, now.minus(EXPIRY_LEEWAY))) {
            revoked.put(row.jti(), row.expiresAt());
            if (newestSeen == null || row.revokedAt().isAfter(newestSeen)) {
                newestSeen = row.revokedAt();
            }
        }
        revoked.values().removeIf(expiresAt -> expiresAt.plus(EXPIRY_LEEWAY).isBefore(now));
    }

    /**
     * Deletes the rows of tokens that expired before {@code cutoff}, and at least {@link #EXPIRY_LEEWAY} ago;
     * returns how many went.
     */
    int purgeExpiredBefore(Instant cutoff, int batchSize) {
        Instant latest = clock.instant().minus(EXPIRY_LEEWAY);
        Instant safeCutoff = cutoff.isAfter(latest) ? latest : cutoff;
        int total = 0;
        int deleted;
        do {
            deleted = records.deleteExpiredBefore(safeCutoff, batchSize);
            total += deleted;
        }
        while (deleted == batchSize);
        return total;
    }

    @Override
    public void afterPropertiesSet() {
        refresh();
        task = scheduler.scheduleWithFixedDelay(this::refreshQuietly,
                clock.instant().plus(properties.revocationPollInterval()), properties.revocationPollInterval());
    }

    private void refreshQuietly() {
        if (!database.isAvailable()) {
            return; // the outage is logged once, where it is noticed; the list is read again when it ends
        }
        try {
            refresh();
        }
        catch (RuntimeException ex) {
            if (database.reportFailure(ex)) {
                return;
            }
            log.warn("Reading revoked access tokens failed ({}); will try again in {}", ex.getMessage(),
                    properties.revocationPollInterval());
        }
    }

    @Override
    public void destroy() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
