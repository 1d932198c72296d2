package io.latchkey.session;

import java.time.Clock;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes the rows of sessions past their idle or absolute end. Every instance runs it; deleting the same rows
 * twice is harmless. Expired rows are never used in between: every lookup checks the expiry itself.
 */
@Component
class ExpiredSessionPurge implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ExpiredSessionPurge.class);

    private final SharedSessions sessions;
    private final SessionProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private ScheduledFuture<?> task;

    ExpiredSessionPurge(SharedSessions sessions, SessionProperties properties, TaskScheduler scheduler, Clock clock) {
        this.sessions = sessions;
        this.properties = properties;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    int purge() {
        int deleted = sessions.purgeExpired();
        if (deleted > 0) {
            log.info("Purged {} expired session(s)", deleted);
        }
        return deleted;
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
            log.error("Purging expired sessions failed; will try again in {}", properties.purgeInterval(), ex);
        }
    }

    @Override
    public void destroy() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
