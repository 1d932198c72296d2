package io.latchkey.oauth.par;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.par.*}: pushed authorization requests (RFC 9126).
 *
 * @param requestUriLifetime how long a {@code request_uri} can be used (default 60 seconds; RFC 9126 section 2.2
 *        suggests a short one, "between 5 and 600 seconds")
 * @param perIp pushed requests one client IP may make per {@code window} (default 60)
 * @param window the window of {@code perIp} (default 1 minute)
 */
@ConfigurationProperties("latchkey.par")
record ParSettings(Duration requestUriLifetime, Integer perIp, Duration window) {

    ParSettings {
        requestUriLifetime = requestUriLifetime == null || requestUriLifetime.isNegative() || requestUriLifetime.isZero()
                ? Duration.ofSeconds(60) : requestUriLifetime;
        perIp = perIp == null || perIp < 1 ? 60 : perIp;
        window = window == null || window.isNegative() || window.isZero() ? Duration.ofMinutes(1) : window;
    }
}
