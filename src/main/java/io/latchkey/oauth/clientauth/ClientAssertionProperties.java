package io.latchkey.oauth.clientauth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How client assertions ({@code private_key_jwt}, RFC 7523) are checked, under {@code latchkey.client-assertions}.
 * A wrong value stops the start with every problem named.
 *
 * @param maxLifetime how far ahead of now an assertion's {@code exp} may lie: a long-lived assertion would be a
 *        bearer secret, and its {@code jti} would have to be remembered that long
 * @param clockSkew how far the client's clock may be off ours, for {@code exp}, {@code iat} and {@code nbf}
 * @param purgeInterval how often an instance deletes the remembered {@code jti}s of expired assertions
 */
@ConfigurationProperties("latchkey.client-assertions")
record ClientAssertionProperties(Duration maxLifetime, Duration clockSkew, Duration purgeInterval) {

    static final String PREFIX = "latchkey.client-assertions.";

    ClientAssertionProperties {
        maxLifetime = maxLifetime == null ? Duration.ofMinutes(5) : maxLifetime;
        clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
        purgeInterval = purgeInterval == null ? Duration.ofMinutes(5) : purgeInterval;
        List<String> problems = new ArrayList<>();
        between(problems, "max-lifetime", maxLifetime, Duration.ofSeconds(10), Duration.ofHours(1));
        between(problems, "clock-skew", clockSkew, Duration.ZERO, Duration.ofMinutes(5));
        between(problems, "purge-interval", purgeInterval, Duration.ofSeconds(1), Duration.ofDays(1));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid client assertion settings: " + String.join("; ", problems));
        }
    }

    private static void between(List<String> problems, String name, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(PREFIX + name + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
