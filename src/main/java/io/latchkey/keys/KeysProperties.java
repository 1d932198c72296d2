package io.latchkey.keys;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Token signing key settings, under {@code latchkey.keys}.
 *
 * @param algorithm JWS algorithm of newly generated keys: RS256 (default) or ES256
 * @param rotation how long a key signs before a new one takes over
 * @param rotationCheckInterval how often each instance checks whether rotation is due
 * @param retiredKeyRetention how long a retired key stays in the JWKS; at least the longest token lifetime
 * @param reloadInterval how long an instance signs with and publishes the keys it read before reading them again, so
 *        that a key another instance rotated in is used and published within this bound
 */
@ConfigurationProperties("latchkey.keys")
public record KeysProperties(String algorithm, Duration rotation, Duration rotationCheckInterval,
        Duration retiredKeyRetention, Duration reloadInterval) {

    /**
     * The longest lifetime any token signed by Latchkey may have. Retired keys must stay published at
     * least this long so that every token they signed can still be verified until it expires.
     */
    public static final Duration LONGEST_TOKEN_LIFETIME = Duration.ofDays(1);

    public KeysProperties(String algorithm, Duration rotation, Duration rotationCheckInterval,
            Duration retiredKeyRetention) {
        this(algorithm, rotation, rotationCheckInterval, retiredKeyRetention, null);
    }

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public KeysProperties {
        algorithm = algorithm == null ? "RS256" : algorithm.trim().toUpperCase(java.util.Locale.ROOT);
        if (!algorithm.equals("RS256") && !algorithm.equals("ES256")) {
            throw new IllegalArgumentException("latchkey.keys.algorithm must be RS256 or ES256, not " + algorithm);
        }
        rotation = rotation == null ? Duration.ofDays(30) : rotation;
        rotationCheckInterval = rotationCheckInterval == null ? Duration.ofHours(1) : rotationCheckInterval;
        retiredKeyRetention = retiredKeyRetention == null ? Duration.ofDays(2) : retiredKeyRetention;
        reloadInterval = reloadInterval == null ? Duration.ofSeconds(30) : reloadInterval;
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("latchkey.keys.reload-interval must be positive");
        }
        if (rotation.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("latchkey.keys.rotation must be at least one minute");
        }
        if (retiredKeyRetention.compareTo(LONGEST_TOKEN_LIFETIME) < 0) {
            throw new IllegalArgumentException("latchkey.keys.retired-key-retention must be at least "
                    + LONGEST_TOKEN_LIFETIME + ", the longest lifetime of a signed token");
        }
    }
}
