package io.latchkey.account;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.security.authentication.AccountExpiredException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.latchkey.crypto.PasswordHashingBusyException;
import io.latchkey.ratelimit.RateLimitExceededException;

/**
 * Counts every password sign-in by entrance and outcome, as {@code latchkey_sign_ins_total}:
 * {@code entrance} is {@code hosted_page} (the login form), {@code password_grant} (the token endpoint) or
 * {@code api} ({@code /api/v1/auth/login}); {@code outcome} is {@code success}, {@code bad_credentials} (a wrong
 * password or an unknown account: the same to the user, the same here), {@code locked}, {@code disabled},
 * {@code email_not_verified}, {@code second_factor_required}, {@code rate_limited}, {@code busy} or {@code error}. No email, name or address
 * is ever a label.
 */
final class SignInOutcomes implements AuthenticationProvider {

    static final String METRIC = "latchkey.sign_ins";

    private final AuthenticationProvider signIn;
    private final MeterRegistry registry;

    SignInOutcomes(AuthenticationProvider signIn, MeterRegistry registry) {
        this.signIn = signIn;
        this.registry = registry;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return signIn.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String entrance = entrance();
        try {
            Authentication user = signIn.authenticate(authentication);
            count(entrance, "success");
            return user;
        }
        catch (RuntimeException failure) {
            count(entrance, outcomeOf(failure));
            throw failure;
        }
    }

    static String outcomeOf(RuntimeException failure) {
        if (failure instanceof SecondFactorRequiredException) {
            // the password was right: not a failure, and not a sign-in yet (the code page or challenge finishes it)
            return "second_factor_required";
        }
        if (RateLimitExceededException.find(failure).isPresent()) {
            return "rate_limited";
        }
        if (failure instanceof EmailNotVerifiedException) {
            return "email_not_verified";
        }
        if (failure instanceof LockedException) {
            return "locked";
        }
        if (failure instanceof DisabledException || failure instanceof AccountExpiredException
                || failure instanceof CredentialsExpiredException) {
            return "disabled";
        }
        if (failure instanceof BadCredentialsException) {
            return "bad_credentials";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PasswordHashingBusyException) {
                return "busy";
            }
        }
        return failure instanceof AuthenticationException ? "bad_credentials" : "error";
    }

    private void count(String entrance, String outcome) {
        Counter.builder(METRIC)
                .description("Password sign-ins by entrance and outcome")
                .tag("entrance", entrance)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Where the attempt came in, told by the request's path (the same thread, or admitted work carrying it). */
    private static String entrance() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes servlet)) {
            return "other";
        }
        HttpServletRequest request = servlet.getRequest();
        String path = request.getServletPath() == null ? "" : request.getServletPath().toLowerCase(Locale.ROOT);
        if (path.startsWith("/api/")) {
            return "api";
        }
        if (path.equals("/oauth2/token")) {
            return "password_grant";
        }
        return path.equals("/login") ? "hosted_page" : "other";
    }
}
