package io.latchkey.ops;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.metrics.*}.
 *
 * @param allowedNetworks who may scrape {@code /actuator/prometheus}: addresses or CIDR ranges (IPv4 and IPv6),
 *                        matched against the client address (through {@code latchkey.rate-limit.trusted-proxies}
 *                        on the main port, the connection's own address on a separate management port); by
 *                        default loopback only
 */
@ConfigurationProperties("latchkey.metrics")
public record MetricsProperties(List<String> allowedNetworks) {

    public MetricsProperties {
        allowedNetworks = allowedNetworks == null ? List.of("127.0.0.0/8", "::1") : List.copyOf(allowedNetworks);
    }
}
