package io.latchkey.logout;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import io.latchkey.jobs.ClusterJobs;

/**
 * Deletes finished deliveries older than {@code retention} and sessions in which nothing was issued for
 * {@code session-retention}, in small batches. One instance per period runs it ({@link ClusterJobs}).
 */
@Component
class BackChannelLogoutPurge implements InitializingBean {

    static final String JOB = "backchannel-logout-purge";

    private static final Logger log = LoggerFactory.getLogger(BackChannelLogoutPurge.class);
    private static final int BATCH_SIZE = 1000;

    private final LogoutDeliveries deliveries;
    private final SessionClients sessions;
    private final BackChannelLogoutProperties properties;
    private final ClusterJobs jobs;
    private final Clock clock;

    BackChannelLogoutPurge(LogoutDeliveries deliveries, SessionClients sessions, BackChannelLogoutProperties properties,
            ClusterJobs jobs, Clock clock) {
        this.deliveries = deliveries;
        this.sessions = sessions;
        this.properties = properties;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Deletes what is due now; returns how many rows went. */
    int purge() {
        Instant now = clock.instant();
        int finished = 0;
        int deleted;
        do {
            deleted = deliveries.purgeFinishedBefore(now.minus(properties.retention()), BATCH_SIZE);
            finished += deleted;
        }
        while (deleted == BATCH_SIZE);
        int idle = 0;
        do {
            deleted = sessions.purgeIdleBefore(now.minus(properties.sessionRetention()), BATCH_SIZE);
            idle += deleted;
        }
        while (deleted >= BATCH_SIZE);
        if (finished > 0 || idle > 0) {
            log.info("Purged {} finished back-channel logout deliveries and {} idle session record(s)", finished, idle);
        }
        return finished + idle;
    }

    @Override
    public void afterPropertiesSet() {
        jobs.scheduleOnOneInstance(JOB, properties.purgeInterval(), this::purge);
    }
}
