package io.latchkey.admission;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.admission.*}. {@code maxConcurrent} and {@code maxQueue} of 0 follow the connection
 * pool (see {@link AdmissionConfiguration}).
 *
 * @param maxConcurrent requests working at once (0: the connection pool's size)
 * @param maxQueue requests waiting for a turn before new ones are refused at once (0: 16 per turn, at least 256)
 * @param maxWait how long a request waits for a turn before it is answered 503
 * @param retryAfter the {@code Retry-After} sent with a 503
 * @param workOnPlatformThreads on Java 21+ with virtual threads: run admitted requests on platform threads
 *                              ({@link PlatformThreadWork}); no effect on platform threads
 */
@ConfigurationProperties("latchkey.admission")
public record AdmissionProperties(Integer maxConcurrent, Integer maxQueue, Duration maxWait, Duration retryAfter,
        Boolean workOnPlatformThreads) {

    public AdmissionProperties {
        maxConcurrent = maxConcurrent == null ? 0 : maxConcurrent;
        maxQueue = maxQueue == null ? 0 : maxQueue;
        maxWait = maxWait == null ? Duration.ofSeconds(1) : maxWait;
        retryAfter = retryAfter == null ? Duration.ofSeconds(1) : retryAfter;
        workOnPlatformThreads = workOnPlatformThreads == null || workOnPlatformThreads;
    }
}
