package io.latchkey.oauth.challenge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.authorization-challenge.*}: the first-party authorization challenge endpoint.
 *
 * @param sessionTtl how long an {@code auth_session} waits for the second factor (default 5 minutes)
 * @param maxWrongCodes wrong codes one {@code auth_session} takes before it ends (default 5); the user's own
 *        limits and lock (those of every code entry) apply besides
 */
@ConfigurationProperties("latchkey.authorization-challenge")
record ChallengeSettings(Duration sessionTtl, Integer maxWrongCodes) {

    ChallengeSettings {
        sessionTtl = sessionTtl == null || sessionTtl.isNegative() || sessionTtl.isZero() ? Duration.ofMinutes(5)
                : sessionTtl;
        maxWrongCodes = maxWrongCodes == null || maxWrongCodes < 1 ? 5 : maxWrongCodes;
    }
}
