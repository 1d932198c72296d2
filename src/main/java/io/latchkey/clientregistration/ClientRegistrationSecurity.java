package io.latchkey.clientregistration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

import io.latchkey.http.SecurityHeaders;
import io.latchkey.oauth.RegistrationEndpointAddress;

/**
 * The filter chain of the registration and client configuration endpoints: a machine endpoint with bearer tokens of
 * its own, which {@link DynamicClientRegistration} checks (an initial access token, a registration access token; no
 * URL rule could tell them apart). So no session, no cookie, no CSRF token, no sign-in page: every request reaches
 * the endpoint, which answers in JSON. Runs after the authorization server's chain (which never enables the
 * framework's own registration endpoint) and the API's, and before the hosted pages' chain, which would otherwise
 * send a browser to sign in.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClientRegistrationProperties.class)
class ClientRegistrationSecurity {

    @Bean
    @Order(6)
    SecurityFilterChain clientRegistrationFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher(RegistrationEndpointAddress.PATH, RegistrationEndpointAddress.PATH + "/**")
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .headers(SecurityHeaders::apply);
        return http.build();
    }
}
