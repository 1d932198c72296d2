package io.latchkey.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import io.latchkey.jobs.ClusterJobs;

/**
 * Deletes the rows of sessions past their idle or absolute end, on one instance per period ({@link ClusterJobs}).
 * Expired rows are never used in between: every lookup checks the expiry itself.
 */
@Component
class ExpiredSessionPurge implements InitializingBean {

    static final String JOB = "expired-session-purge";

    private static final Logger log = LoggerFactory.getLogger(ExpiredSessionPurge.class);

    private final SharedSessions sessions;
    private final SessionProperties properties;
    private final ClusterJobs jobs;
    private final Counter purged;

    ExpiredSessionPurge(SharedSessions sessions, SessionProperties properties, ClusterJobs jobs, MeterRegistry meters) {
        this.sessions = sessions;
        this.properties = properties;
        this.jobs = jobs;
        this.purged = Counter.builder("latchkey.purge.deleted").description("Expired rows deleted by the purge, by kind")
                .tag("kind", "sessions").register(meters);
    }

    int purge() {
        int deleted = sessions.purgeExpired();
        purged.increment(deleted);
        if (deleted > 0) {
            log.info("Purged {} expired session(s)", deleted);
        }
        return deleted;
    }

    @Override
    public void afterPropertiesSet() {
        jobs.scheduleOnOneInstance(JOB, properties.purgeInterval(), this::purge);
    }
}
