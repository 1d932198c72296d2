package io.latchkey.ops;

import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The security filter chain of Spring Boot's actuator: health (with its liveness and readiness groups) is open to
 * anyone, so that a load balancer or orchestrator can ask; Prometheus metrics only to
 * {@code latchkey.metrics.allowed-networks}; nothing else of the actuator exists. No session, no cookie, no login.
 * On a separate management port ({@code latchkey.management.port}) every other path of that port is refused
 * too, so that it never leads to a login page.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
class ManagementSecurity {

    @Bean
    @Order(1)
    SecurityFilterChain managementFilterChain(HttpSecurity http, MetricsProperties metrics, Environment environment)
            throws Exception {
        http.securityMatcher(new OrRequestMatcher(EndpointRequest.toAnyEndpoint(), underBasePath(environment),
                        onManagementPort(environment)))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.to(PrometheusScrapeEndpoint.class))
                                .access(fromNetworks(metrics.allowedNetworks()))
                        .anyRequest().denyAll())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, denied) -> forbidden(response))
                        .accessDeniedHandler((request, response, denied) -> forbidden(response)))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(anonymous -> { });
        return http.build();
    }

    /** Every path under the actuator's base path: an endpoint that is not exposed is refused, not sent to a login. */
    private static RequestMatcher underBasePath(Environment environment) {
        String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        return basePath.isEmpty() || basePath.equals("/") ? request -> false
                : PathPatternRequestMatcher.withDefaults().matcher(basePath + "/**");
    }

    /** Requests to a management port of its own, when one is set (a fixed one: 0 has no number to match). */
    private static RequestMatcher onManagementPort(Environment environment) {
        Integer management = environment.getProperty("management.server.port", Integer.class);
        Integer server = environment.getProperty("server.port", Integer.class, 8080);
        if (management == null || management <= 0 || management.equals(server)) {
            return request -> false;
        }
        return request -> request.getLocalPort() == management;
    }

    static AuthorizationManager<RequestAuthorizationContext> fromNetworks(List<String> networks) {
        List<IpAddressMatcher> matchers = networks.stream().map(String::trim).filter(network -> !network.isEmpty())
                .map(IpAddressMatcher::new).toList();
        return new AuthorizationManager<>() {
            @Override
            public org.springframework.security.authorization.AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                    RequestAuthorizationContext context) {
                HttpServletRequest request = context.getRequest();
                String address = request.getRemoteAddr();
                return new AuthorizationDecision(matchers.stream().anyMatch(matcher -> matches(matcher, address)));
            }
        };
    }

    private static boolean matches(IpAddressMatcher matcher, String address) {
        try {
            return address != null && matcher.matches(address);
        }
        catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }

    private static void forbidden(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setHeader("Cache-Control", "no-store");
    }
}
