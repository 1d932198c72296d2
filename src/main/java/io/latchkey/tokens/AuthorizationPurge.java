package io.latchkey.tokens;

import java.time.Clock;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import io.latchkey.jobs.ClusterJobs;

/**
 * Deletes authorizations whose every token expired or was revoked more than the retention ago, and the deny
 * list's entries of tokens that expired as long ago, in small batches. One instance runs it per purge interval
 * ({@link ClusterJobs}); deleting the same rows twice would be harmless anyway.
 */
@Component
public class AuthorizationPurge implements InitializingBean {

    static final String JOB = "authorization-purge";

    private static final Logger log = LoggerFactory.getLogger(AuthorizationPurge.class);

    private final AuthorizationRecords records;
    private final RevokedAccessTokens revokedTokens;
    private final TokensProperties properties;
    private final ClusterJobs jobs;
    private final Clock clock;
    private final Counter purgedAuthorizations;
    private final Counter purgedRevokedTokens;

    AuthorizationPurge(AuthorizationRecords records, RevokedAccessTokens revokedTokens, TokensProperties properties,
            ClusterJobs jobs, Clock clock, MeterRegistry meters) {
        this.purgedAuthorizations = purged(meters, "authorizations");
        this.purgedRevokedTokens = purged(meters, "revoked_access_tokens");
        this.records = records;
        this.revokedTokens = revokedTokens;
        this.properties = properties;
        this.jobs = jobs;
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
        jobs.scheduleOnOneInstance(JOB, properties.purgeInterval(), this::purge);
    }
}
