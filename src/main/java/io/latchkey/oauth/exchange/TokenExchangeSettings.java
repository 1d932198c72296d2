package io.latchkey.oauth.exchange;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.token-exchange.*}: token exchange (RFC 8693).
 *
 * @param accessTokenLifetime the longest life of an access token issued by an exchange (default 5 minutes); the
 *        client's own access token lifetime applies when it is shorter
 */
@ConfigurationProperties("latchkey.token-exchange")
record TokenExchangeSettings(Duration accessTokenLifetime) {

    TokenExchangeSettings {
        accessTokenLifetime = accessTokenLifetime == null || accessTokenLifetime.isNegative()
                || accessTokenLifetime.isZero() ? Duration.ofMinutes(5) : accessTokenLifetime;
    }
}
