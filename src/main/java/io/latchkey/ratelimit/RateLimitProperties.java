package io.latchkey.ratelimit;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rate limits and brute-force protection, under {@code latchkey.rate-limit}. Every limit is a token bucket:
 * a full bucket holds the given number of requests and refills evenly over the window. The client IP the per-IP
 * limits count is resolved by {@code io.latchkey.http.ClientAddresses}, which reads
 * {@code latchkey.rate-limit.trusted-proxies} under the same prefix.
 *
 * @param enabled                 whether any limit applies (turn off only behind another limiter)
 * @param signInAttemptsPerIp     password attempts from one client IP per {@code signInWindow}
 * @param signInWindow            window of {@code signInAttemptsPerIp}
 * @param accountFailures         failed sign-ins of one account within {@code accountFailureWindow} that lock it
 * @param accountFailureWindow    window of {@code accountFailures}
 * @param lockDuration            how long such a lock lasts
 * @param delayAfterFailures      failed sign-ins of an account after which every further attempt is slowed down
 * @param maxDelay                the longest such delay (it doubles from 250 ms up to this)
 * @param mailRequestsPerAddress  requests for one kind of account mail (password reset, new verification link,
 *                                registration) for one address per {@code mailWindow}; each kind counts apart
 * @param mailRequestsPerIp       requests for one kind of account mail from one client IP per {@code mailWindow}
 * @param mailWindow              window of the mail limits
 * @param trustedDeviceFailures   wrong passwords a trusted device (a browser with a device cookie) may send per
 *                                {@code accountFailureWindow} before it is treated like any other client
 * @param trustedDeviceLifetime   how long a device cookie is valid after the sign-in that set it
 * @param clientSecretFailuresPerClient wrong secrets for one client id per {@code clientSecretWindow}
 * @param clientSecretFailuresPerIp     wrong client secrets from one client IP per {@code clientSecretWindow}
 * @param clientSecretWindow      window of the client secret limits
 * @param exemptAddresses         client IPs or CIDR ranges to which the per-IP limits do not apply (per-account
 *                                limits still do)
 */
@ConfigurationProperties("latchkey.rate-limit")
public record RateLimitProperties(Boolean enabled, Integer signInAttemptsPerIp, Duration signInWindow,
        Integer accountFailures, Duration accountFailureWindow, Duration lockDuration, Integer delayAfterFailures,
        Duration maxDelay, Integer mailRequestsPerAddress, Integer mailRequestsPerIp, Duration mailWindow,
        Integer trustedDeviceFailures, Duration trustedDeviceLifetime, Integer clientSecretFailuresPerClient,
        Integer clientSecretFailuresPerIp, Duration clientSecretWindow, List<String> exemptAddresses) {

    public RateLimitProperties {
        enabled = enabled == null || enabled;
        signInAttemptsPerIp = positive(signInAttemptsPerIp, 30, "sign-in-attempts-per-ip");
        signInWindow = positive(signInWindow, Duration.ofMinutes(1), "sign-in-window");
        accountFailures = positive(accountFailures, 10, "account-failures");
        accountFailureWindow = positive(accountFailureWindow, Duration.ofMinutes(15), "account-failure-window");
        lockDuration = positive(lockDuration, Duration.ofMinutes(15), "lock-duration");
        delayAfterFailures = positive(delayAfterFailures, 3, "delay-after-failures");
        maxDelay = maxDelay == null ? Duration.ofSeconds(2) : maxDelay;
        if (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("latchkey.rate-limit.max-delay must be between 0 and 5s");
        }
        mailRequestsPerAddress = positive(mailRequestsPerAddress, 5, "mail-requests-per-address");
        mailRequestsPerIp = positive(mailRequestsPerIp, 20, "mail-requests-per-ip");
        mailWindow = positive(mailWindow, Duration.ofHours(1), "mail-window");
        trustedDeviceFailures = positive(trustedDeviceFailures, 5, "trusted-device-failures");
        trustedDeviceLifetime = positive(trustedDeviceLifetime, Duration.ofDays(90), "trusted-device-lifetime");
        clientSecretFailuresPerClient = positive(clientSecretFailuresPerClient, 10,
                "client-secret-failures-per-client");
        clientSecretFailuresPerIp = positive(clientSecretFailuresPerIp, 20, "client-secret-failures-per-ip");
        clientSecretWindow = positive(clientSecretWindow, Duration.ofMinutes(1), "client-secret-window");
        exemptAddresses = exemptAddresses == null ? List.of() : List.copyOf(exemptAddresses);
    }

    private static Integer positive(Integer value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("latchkey.rate-limit." + name + " must be at least 1");
        }
        return value;
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("latchkey.rate-limit." + name + " must be longer than 0");
        }
        return value;
    }
}
