package io.latchkey.http;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.rate-limit.trusted-proxies}: the IPs or CIDR ranges of reverse proxies whose forwarded headers
 * are believed. The property kept the name it had when only the rate limits read the client IP.
 *
 * @param trustedProxies IPs or CIDR ranges of reverse proxies whose {@code X-Forwarded-*} headers are believed
 */
@ConfigurationProperties("latchkey.rate-limit")
record TrustedProxySettings(List<String> trustedProxies) {

    TrustedProxySettings {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
