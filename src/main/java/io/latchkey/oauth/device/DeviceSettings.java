package io.latchkey.oauth.device;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.device.*}: the device authorization grant (RFC 8628).
 *
 * @param codeLifetime how long a device code and its user code are valid (default 10 minutes)
 * @param interval how long a device waits between two polls of the token endpoint (whole seconds, default 5); a device
 *        that polls sooner is answered {@code slow_down} and must wait 5 seconds longer from then on
 * @param startsPerIp device authorizations one client IP may start per {@code startWindow} (default 30)
 * @param startWindow window of {@code startsPerIp} (default 10 minutes)
 * @param wrongUserCodesPerIp wrong user codes one client IP may type per {@code wrongUserCodeWindow} (default 10)
 * @param wrongUserCodeWindow window of {@code wrongUserCodesPerIp} (default 15 minutes)
 */
@ConfigurationProperties("latchkey.device")
record DeviceSettings(Duration codeLifetime, Duration interval, Integer startsPerIp, Duration startWindow,
        Integer wrongUserCodesPerIp, Duration wrongUserCodeWindow) {

    DeviceSettings {
        codeLifetime = positive(codeLifetime, Duration.ofMinutes(10), "code-lifetime");
        interval = positive(interval, Duration.ofSeconds(5), "interval");
        if (interval.toSeconds() < 1) {
            // RFC 8628 section 3.2 gives the interval in whole seconds
            throw new IllegalArgumentException("latchkey.device.interval must be at least 1s");
        }
        startsPerIp = positive(startsPerIp, 30, "starts-per-ip");
        startWindow = positive(startWindow, Duration.ofMinutes(10), "start-window");
        wrongUserCodesPerIp = positive(wrongUserCodesPerIp, 10, "wrong-user-codes-per-ip");
        wrongUserCodeWindow = positive(wrongUserCodeWindow, Duration.ofMinutes(15), "wrong-user-code-window");
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("latchkey.device." + name + " must be longer than 0");
        }
        return value;
    }

    private static Integer positive(Integer value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("latchkey.device." + name + " must be at least 1");
        }
        return value;
    }
}
