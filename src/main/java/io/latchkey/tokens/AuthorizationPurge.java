package io.latchkey.tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes authorizations whose every token expired or was revoked more than the retention ago, and the deny
 * list's entries of tokens that expired as long ago, in small batches. Every instance runs it; deleting the
 * same rows twice is harmless.
 */
@Component
public class AuthorizationPurge implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AuthorizationPurge.class);

    private final AuthorizationRecords records;
    private final RevokedAccessTokens revokedTokens;
    private final TokensProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final Counter purgedAuthorizations;
    private final Counter purgedRevokedTokens;
    private ScheduledFuture<?> task;

    AuthorizationPurge(AuthorizationRecords records, RevokedAccessTokens revokedTokens, TokensProperties properties,
            TaskScheduler scheduler, Clock clock, MeterRegistry meters) {
        this.purgedAuthorizations = purged(meters, "authorizations");
        this.purgedRevokedTokens = purged(meters, "revoked_access_tokens");
        this.records = records;
        this.revokedTokens = revokedTokens;
        this.properties = properties;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Deletes what is due now; returns how many authorizations went. */
    public int purge() {
        Instant cutoff = clock.instant().minus(properties.purgeRetention());
        int total = 0;
        int deleted;
        do {
            deleted = records.deleteExpiredBefore(cutoff, properties.purgeBatchSize());
            total += deleted;
        }
        while (deleted == properties.purgeBatchSize());
        int denied = revokedTokens.purgeExpiredBefore(cutoff, properties.purgeBatchSize());
        purgedAuthorizations.increment(total);
        purgedRevokedTokens.increment(denied);
        if (total > 0 || denied > 0) {
            log.info("Purged {} expired or revoked authorization(s) and {} expired revoked access token(s)", total,
                    denied);
        }
        return total;
    }

    /** {@code latchkey_purge_deleted_total}: rows the purge deleted, by {@code kind}. */
    private static Counter purged(MeterRegistry meters, String kind) {
        return Counter.builder("latchkey.purge.deleted").description("Expired rows deleted by the purge, by kind")
                .tag("kind", kind).register(meters);
    }

    @Override
    public void afterPropertiesSet() {
        task = scheduler.scheduleWithFixedDelay(this::purgeQuietly, clock.instant().plus(properties.purgeInterval()),
                properties.purgeInterval());
    }

    private void purgeQuietly() {
        try {
            purge();
        }
        catch (RuntimeException ex) {
            log.error("Purging expired authorizations failed; will try again in {}", properties.purgeInterval(), ex);
        }
    }

    @Override
    public void destroy() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
