package io.latchkey.http;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Cross-origin access for browser apps, to the token, revocation and userinfo endpoints and the JSON API
 * only, from the origins in {@code latchkey.cors.allowed-origins} (none by default). Requests carry
 * tokens in headers, never cookies, so credentials are never allowed cross-origin, and a wildcard origin
 * is refused. A refused cross-origin request gets 403 in the endpoint's format ({@link EndpointErrors}).
 * The filter is Spring Security's to place (each chain's {@code cors()} picks up the {@code corsFilter}
 * bean); it is not registered with the servlet container on its own.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration {

    static final List<String> CROSS_ORIGIN_PATHS = List.of("/oauth2/token", "/oauth2/revoke", "/userinfo", "/api/v1/**");

    @Bean
    CorsConfigurationSource corsConfigurationSource(CorsProperties properties) {
        List<String> allowed = properties.allowedOrigins();
        for (String origin : allowed) {
            if (origin.contains("*") || !origin.matches("https?://[^/\\s]+")) {
                throw new IllegalStateException("latchkey.cors.allowed-origins: '" + origin
                        + "' must be an exact origin such as https://app.example.com (no wildcards, no path)");
            }
        }
        org.springframework.web.cors.CorsConfiguration configuration = new org.springframework.web.cors.CorsConfiguration();
        configuration.setAllowedOrigins(allowed);
        configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        configuration.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "Accept-Language"));
        configuration.setExposedHeaders(List.of("WWW-Authenticate", "Retry-After"));
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        CROSS_ORIGIN_PATHS.forEach(path -> source.registerCorsConfiguration(path, configuration));
        return source;
    }

    @Bean
    CorsFilter corsFilter(CorsConfigurationSource corsConfigurationSource) {
        CorsFilter filter = new CorsFilter(corsConfigurationSource);
        filter.setCorsProcessor(new RefusalsInEndpointFormat());
        return filter;
    }

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilterOnlyInsideSecurity(CorsFilter corsFilter) {
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(corsFilter);
        registration.setEnabled(false);
        return registration;
    }

    /** Spring's CORS rules, with the refusal in the endpoint's format instead of a plain-text body. */
    static final class RefusalsInEndpointFormat extends DefaultCorsProcessor {

        @Override
        public boolean processRequest(org.springframework.web.cors.CorsConfiguration configuration,
                HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (super.processRequest(configuration, request, response)) {
                return true;
            }
            EndpointErrors.refuse(request, response, HttpStatus.FORBIDDEN, "The request's origin is not allowed.");
            return false;
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) {
            // answered by processRequest, which knows the endpoint
        }
    }
}
