package io.latchkey.keys;

import org.springframework.beans.factory.InitializingBean;

import io.latchkey.jobs.ClusterJobs;

/**
 * Checks every {@code latchkey.keys.rotation-check-interval} whether the active key is due for rotation, on one
 * instance per period (the database lock in {@link SigningKeys} would also pick one winner).
 */
class SigningKeyRotationSchedule implements InitializingBean {

    static final String JOB = "signing-key-rotation";

    private final SigningKeys keys;
    private final KeysProperties properties;
    private final ClusterJobs jobs;

    SigningKeyRotationSchedule(SigningKeys keys, KeysProperties properties, ClusterJobs jobs) {
        this.keys = keys;
        this.properties = properties;
        this.jobs = jobs;
    }

    @Override
    public void afterPropertiesSet() {
        jobs.scheduleOnOneInstance(JOB, properties.rotationCheckInterval(), keys::rotateIfDue);
    }
}
