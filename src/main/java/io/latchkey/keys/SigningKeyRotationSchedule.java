package io.latchkey.keys;

import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.TaskScheduler;

import io.latchkey.database.DatabaseAvailability;

/** Checks on every instance whether the active key is due for rotation; the database lock picks one winner. */
class SigningKeyRotationSchedule implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyRotationSchedule.class);

    private final SigningKeys keys;
    private final KeysProperties properties;
    private final TaskScheduler scheduler;
    private final DatabaseAvailability database;
    private ScheduledFuture<?> task;

    SigningKeyRotationSchedule(SigningKeys keys, KeysProperties properties, TaskScheduler scheduler,
            DatabaseAvailability database) {
        this.database = database;
        this.keys = keys;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    @Override
    public void afterPropertiesSet() {
        task = scheduler.scheduleWithFixedDelay(this::check, java.time.Instant.now().plus(properties.rotationCheckInterval()),
                properties.rotationCheckInterval());
    }

    private void check() {
        if (!database.isAvailable()) {
            return; // the outage is logged once, where it is noticed
        }
        try {
            keys.rotateIfDue();
        }
        catch (RuntimeException ex) {
            if (database.reportFailure(ex)) {
                return;
            }
            log.error("Signing key rotation check failed; will try again in {}", properties.rotationCheckInterval(), ex);
        }
    }

    @Override
    public void destroy() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
