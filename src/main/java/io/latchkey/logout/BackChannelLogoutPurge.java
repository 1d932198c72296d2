package io.latchkey.logout;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes finished deliveries older than {@code retention} and sessions in which nothing was issued for
 * {@code session-retention}, in small batches. Every instance runs it; deleting the same rows twice is harmless.
 */
@Component
class BackChannelLogoutPurge implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BackChannelLogoutPurge.class);
    private static final int BATCH_SIZE = 1000;

    private final LogoutDeliveries deliveries;
    private final SessionClients sessions;
    private final BackChannelLogoutProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private ScheduledFuture<?> task;

    BackChannelLogoutPurge(LogoutDeliveries deliveries, SessionClients sessions, BackChannelLogoutProperties properties,
            TaskScheduler scheduler, Clock clock) {
        this.deliveries = deliveries;
        this.sessions = sessions;
        this.properties = properties;
        this.scheduler = scheduler;
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
        task = scheduler.scheduleWithFixedDelay(this::purgeQuietly, clock.instant().plus(properties.purgeInterval()),
                properties.purgeInterval());
    }

    private void purgeQuietly() {
        try {
            purge();
        }
        catch (RuntimeException ex) {
            log.warn("Purging back-channel logout records failed; will try again in {}: {}", properties.purgeInterval(),
                    ex.toString());
        }
    }

    @Override
    public void destroy() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
