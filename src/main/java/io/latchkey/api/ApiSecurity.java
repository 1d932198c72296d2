package io.latchkey.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

import io.latchkey.web.SecurityHeaders;

/**
 * The security filter chain of the first-party API under {@code /api/}: a resource server that accepts
 * Latchkey's own access tokens (signature and issuer checked by the server's {@link JwtDecoder}) and
 * nothing else. No session, no cookie, so no CSRF token is needed. Runs after the authorization server's
 * chain and before the hosted pages' chain.
 *
 * <p>Which user may do what is decided per operation with {@code @PreAuthorize} on permission authorities
 * ({@code PERM_users:read}, ...), which {@link ApiTokenAuthentication} reads from the database.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class ApiSecurity {

    static final String[] PUBLIC_AUTH_ENDPOINTS = { "/api/v1/auth/register", "/api/v1/auth/verify-email",
            "/api/v1/auth/resend-verification", "/api/v1/auth/password-reset/request",
            "/api/v1/auth/password-reset/confirm" };
    static final String[] DOCS = { "/api/docs", "/api/docs/**" };

    @Bean
    @Order(5)
    SecurityFilterChain apiFilterChain(HttpSecurity http, JwtDecoder jwtDecoder, ApiTokenAuthentication tokens,
            ApiSecurityErrors errors) throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(HttpMethod.POST, PUBLIC_AUTH_ENDPOINTS).permitAll()
                        .requestMatchers(HttpMethod.GET, DOCS).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(jwtDecoder).jwtAuthenticationConverter(tokens))
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(anonymous -> { })
                .headers(SecurityHeaders::apply);
        return http.build();
    }
}
