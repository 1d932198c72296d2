package io.latchkey.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import io.latchkey.http.SecurityHeaders;
import io.latchkey.oauth.ResourceServerProofs;

/**
 * The security filter chain of the first-party API under {@code /api/}: a resource server that accepts
 * Latchkey's own access tokens meant for it (signature and issuer checked by the server's {@link JwtDecoder},
 * the audience by {@link ApiTokenAuthentication}) and nothing else. No session, no cookie, so no CSRF token is
 * needed. Runs after the authorization server's chain and before the hosted pages' chain.
 *
 * <p>Which token may do what is decided per operation with {@code @PreAuthorize} on the token's scopes and the
 * user's permissions ({@link ApiAccessRules}), which {@link ApiTokenAuthentication} reads from the database.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class ApiSecurity {

    static final String[] PUBLIC_AUTH_ENDPOINTS = { "/api/v1/auth/register", "/api/v1/auth/verify-email",
            "/api/v1/auth/resend-verification", "/api/v1/auth/password-reset/request",
            "/api/v1/auth/password-reset/confirm", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout" };
    /** The OpenAPI description and Swagger UI (springdoc serves the UI's files next to its path, under /api/swagger-ui/). */
    static final String[] DOCS = { "/api/docs", "/api/docs/**", "/api/swagger-ui/**" };

    @Bean
    @Order(5)
    SecurityFilterChain apiFilterChain(HttpSecurity http, JwtDecoder jwtDecoder, ApiTokenAuthentication tokens,
            ApiSecurityErrors errors, ResourceServerProofs dpop) throws Exception {
        http.securityMatcher("/api/**")
                .cors(org.springframework.security.config.Customizer.withDefaults())
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
                .headers(SecurityHeaders::apply)
                .addFilterBefore(new DocsContentSecurityPolicy(), HeaderWriterFilter.class)
                .addFilterBefore(new DeprecatedUserPaths(), HeaderWriterFilter.class)
                // DPoP-bound tokens (RFC 9449 section 7): with their proof, never as Bearer tokens
                .addFilterBefore(dpop.filter(PathPatternRequestMatcher.withDefaults().matcher("/api/**")),
                        AbstractPreAuthenticatedProcessingFilter.class);
        return http.build();
    }

    /**
     * Swagger UI runs no inline script, but its bundle injects a {@code <style>} element, which
     * {@code style-src 'self'} blocks (a real-browser test shows the violation). Its pages alone get the
     * same policy with {@code 'unsafe-inline'} for styles only; scripts stay {@code 'self'}. The header
     * writer leaves a Content-Security-Policy header that is already set alone.
     */
    static final class DocsContentSecurityPolicy extends OncePerRequestFilter {

        static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        private final RequestMatcher docs = new OrRequestMatcher(java.util.Arrays.stream(DOCS)
                .map(path -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(path)).toList());

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (docs.matches(request)) {
                response.setHeader("Content-Security-Policy", POLICY);
            }
            chain.doFilter(request, response);
        }
    }
}
