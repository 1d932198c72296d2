package io.latchkey.oauth.par;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * Every pushed request writes a row to the authorization store, before or after the client proved anything (a
 * public client proves nothing until it redeems the code), so pushed requests are counted per client IP and a
 * client IP over {@link ParSettings#perIp} per {@link ParSettings#window} gets 429 {@code temporarily_unavailable}.
 * Wrong client secrets are limited besides, as at the token endpoint, by the client authentication every client
 * endpoint shares.
 */
final class PushedRequestsPerIp extends OncePerRequestFilter {

    static final String RATE_LIMIT_KIND = "par";

    private final RequestMatcher parEndpoint;
    private final CredentialGuard guard;
    private final ParSettings settings;

    PushedRequestsPerIp(RequestMatcher parEndpoint, CredentialGuard guard, ParSettings settings) {
        this.parEndpoint = parEndpoint;
        this.guard = guard;
        this.settings = settings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !parEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Verdict verdict = guard.checkRequestFromIp(RATE_LIMIT_KIND, request.getRemoteAddr(), settings.perIp(),
                settings.window());
        if (!verdict.allowed()) {
            RateLimitResponses.writeOAuthError(response, verdict);
            return;
        }
        chain.doFilter(request, response);
    }
}
