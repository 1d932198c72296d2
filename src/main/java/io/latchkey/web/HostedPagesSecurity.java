package io.latchkey.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

import io.latchkey.account.TrustedDevices;

/**
 * The security filter chain of the hosted pages (login, registration, account, consent, error pages,
 * static files). Runs after the authorization server's chain, which claims the OAuth endpoints. A successful
 * sign-in gives the browser a device cookie ({@link TrustedDevices}), which the next sign-ins present.
 */
@Configuration(proxyBeanMethods = false)
class HostedPagesSecurity {

    static final String[] PUBLIC_PAGES = { "/login", "/error", "/static/**", "/favicon.ico", "/register",
            "/verify-email", "/verify-email/resend", "/forgot-password", "/reset-password", "/undo-email-change" };

    @Bean
    @Order(10)
    SecurityFilterChain hostedPagesFilterChain(HttpSecurity http, SessionRegistry sessionRegistry,
            TrustedDevices devices) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(PUBLIC_PAGES).permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login")
                        .authenticationDetailsSource(devices.signInDetails())
                        .successHandler(devices.rememberingDevice(new SavedRequestAwareAuthenticationSuccessHandler()))
                        .failureHandler(new LoginFailureRedirects()))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .sessionManagement(sessions -> sessions
                        .sessionFixation(fixation -> fixation.changeSessionId())
                        .maximumSessions(-1).sessionRegistry(sessionRegistry).expiredUrl("/login?expired"))
                .headers(SecurityHeaders::apply);
        return http.build();
    }
}
