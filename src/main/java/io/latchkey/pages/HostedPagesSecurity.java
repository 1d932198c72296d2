package io.latchkey.pages;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

import io.latchkey.account.PasswordChangeRequired;
import io.latchkey.account.SecondFactorEnrolmentRequired;
import io.latchkey.account.TrustedDevices;
import io.latchkey.http.SecurityHeaders;
import io.latchkey.mfa.PendingSecondStep;
import io.latchkey.passkey.PasskeyEntrance;
import io.latchkey.runtime.ProductionCookies;
import io.latchkey.session.SavedRequests;
import io.latchkey.session.SessionOrCookieCsrfTokens;
import io.latchkey.session.SignInDetails;

/**
 * The security filter chain of the hosted pages (login, registration, account, consent, error pages,
 * static files). Runs after the authorization server's chain, which claims the OAuth endpoints. A successful
 * sign-in gives the browser a device cookie ({@link TrustedDevices}), which the next sign-ins present.
 */
@Configuration(proxyBeanMethods = false)
class HostedPagesSecurity {

    static final String[] PUBLIC_PAGES = { "/login", "/error", "/static/**", "/favicon.ico", "/register",
            "/verify-email", "/verify-email/resend", "/forgot-password", "/reset-password", "/undo-email-change",
            SignOutPageController.PATH,
            // the code page checks for itself whose code it asks for: a pending password step or a signed-in user
            "/login/second-factor", "/login/second-factor/start-over" };

    @Bean
    @Order(10)
    SecurityFilterChain hostedPagesFilterChain(HttpSecurity http, TrustedDevices devices, SignInDetails signIns,
            SavedRequests saved, ProductionCookies cookies, KeptLoginEmail keptEmail,
            HandlerMappingIntrospector handlers, PasswordChangeRequired passwordChangeRequired,
            SecondFactorEnrolmentRequired enrolmentRequired, PendingSecondStep pendingSecondSteps,
            PasskeyEntrance passkeys) throws Exception {
        RequestCache savedRequests = saved.ofPages();
        SavedRequestAwareAuthenticationSuccessHandler backToSavedRequest = new SavedRequestAwareAuthenticationSuccessHandler();
        backToSavedRequest.setRequestCache(savedRequests);
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(PUBLIC_PAGES).permitAll()
                        // a missing page is a 404 for everyone, not a detour through the login page
                        .requestMatchers(new PathsWithoutAPage(handlers)).permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login")
                        .authenticationDetailsSource(devices.signInDetails())
                        .successHandler(signIns.recording(devices.rememberingDevice(backToSavedRequest)))
                        .failureHandler(new LoginFailureRedirects(keptEmail, pendingSecondSteps)))
                .logout(logout -> logout.logoutSuccessHandler(new NotYouSignOut()))
                // sessions live in the database (io.latchkey.session): an ended one is gone on every instance
                .sessionManagement(sessions -> sessions.sessionFixation(fixation -> fixation.changeSessionId()))
                // a visitor without a session gets none just for seeing a form or being sent to sign in
                .requestCache(cache -> cache.requestCache(savedRequests))
                .csrf(csrf -> csrf.csrfTokenRepository(new SessionOrCookieCsrfTokens(cookies)))
                .headers(SecurityHeaders::apply)
                .addFilterAfter(passwordChangeRequired.gate(), SecurityContextHolderFilter.class)
                .addFilterAfter(enrolmentRequired.gate(), SecurityContextHolderFilter.class);
        // passkey registration and sign-in (POST /login/webauthn), when the relying party has an id
        passkeys.applyTo(http);
        return http.build();
    }
}
