package io.latchkey.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.passwords.*}.
 *
 * @param maxConcurrentHashes bcrypt hashes computed at once (0: one per core)
 * @param maxWaitMs how long a sign-in waits for a hashing slot before it gets 503 with {@code Retry-After}
 */
@ConfigurationProperties("latchkey.passwords")
public record PasswordHashingProperties(Integer maxConcurrentHashes, Long maxWaitMs) {

    public PasswordHashingProperties {
        maxConcurrentHashes = maxConcurrentHashes == null || maxConcurrentHashes <= 0
                ? Runtime.getRuntime().availableProcessors() : maxConcurrentHashes;
        maxWaitMs = maxWaitMs == null ? 800 : maxWaitMs;
    }
}
