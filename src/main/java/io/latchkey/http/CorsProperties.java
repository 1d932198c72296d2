package io.latchkey.http;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.cors.*}.
 *
 * @param allowedOrigins browser origins (scheme, host, port; no path, no wildcard) that may call the token, userinfo,
 *        revocation, introspection and API endpoints from JavaScript; empty: none
 */
@ConfigurationProperties("latchkey.cors")
record CorsProperties(List<String> allowedOrigins) {

    CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    }
}
