package io.latchkey.audit;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import io.latchkey.jobs.ClusterJobs;

/**
 * Deletes audit events older than {@code latchkey.audit.retention}, in batches (no long lock on the table), on one
 * instance per {@code latchkey.audit.purge-interval} ({@link ClusterJobs}); deleting twice would be harmless.
 */
@Component
public class AuditPurge implements InitializingBean {

    static final String JOB = "audit-purge";
    static final int BATCH_SIZE = 1000;

    private static final Logger log = LoggerFactory.getLogger(AuditPurge.class);

    private final AuditRepository events;
    private final AuditProperties properties;
    private final ClusterJobs jobs;
    private final Clock clock;

    AuditPurge(AuditRepository events, AuditProperties properties, ClusterJobs jobs, Clock clock) {
        this.events = events;
        this.properties = properties;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Deletes what is older than the retention now; returns how many events went. */
    public int purge() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int total = 0;
        int deleted;
        do {
            deleted = events.deleteOlderThan(cutoff, BATCH_SIZE);
            total += deleted;
        }
        while (deleted == BATCH_SIZE);
        if (total > 0) {
            log.info("Purged {} audit event(s) older than {}", total, properties.retention());
        }
        return total;
    }

    @Override
    public void afterPropertiesSet() {
        jobs.scheduleOnOneInstance(JOB, properties.purgeInterval(), this::purge);
    }
}
