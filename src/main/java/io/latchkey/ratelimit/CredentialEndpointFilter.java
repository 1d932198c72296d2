package io.latchkey.ratelimit;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the {@link CredentialGuard} to the hosted pages, in front of Spring Security: the sign-in form
 * ({@code POST /login}) and the forms that send account mail ({@code POST /forgot-password},
 * {@code POST /verify-email/resend}, {@code POST /register}), and the password grant at the token endpoint
 * (answered in the OAuth error format). The outcome of a sign-in is recorded by
 * {@link SignInOutcomes}, from Spring Security's authentication events.
 */
final class CredentialEndpointFilter extends OncePerRequestFilter {

    /** Request attribute: the sign-in attempt this filter let through. */
    static final String TOKEN_ENDPOINT = "/oauth2/token";

    static final String SIGN_IN_ATTEMPT = CredentialEndpointFilter.class.getName() + ".SIGN_IN_ATTEMPT";

    private final CredentialGuard guard;
    private final ClientAddresses addresses;

    CredentialEndpointFilter(CredentialGuard guard, ClientAddresses addresses) {
        this.guard = guard;
        this.addresses = addresses;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return true;
        }
        String path = path(request);
        return !(path.equals("/login") || path.equals("/forgot-password") || path.equals("/verify-email/resend")
                || path.equals("/register") || isPasswordGrant(request, path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ip = addresses.clientIp(request);
        Verdict verdict;
        if (isPasswordGrant(request, path(request))) {
            String username = request.getParameter("username");
            verdict = guard.checkAttempt(ip, username);
            if (!verdict.allowed()) {
                RateLimitResponses.writeOAuthError(response, verdict);
                return;
            }
            request.setAttribute(SIGN_IN_ATTEMPT, new SignInAttempt(ip, username));
        }
        else if (path(request).equals("/login")) {
            String username = request.getParameter("username");
            verdict = guard.checkAttempt(ip, username);
            if (verdict.allowed()) {
                request.setAttribute(SIGN_IN_ATTEMPT, new SignInAttempt(ip, username));
            }
        }
        else if (path(request).equals("/register")) {
            // registering mails an address at most once (an existing account gets nothing), and a user who fixes
            // form errors posts the same address again: only the per-IP limit applies
            verdict = guard.checkMailRequest(ip, null);
        }
        else {
            verdict = guard.checkMailRequest(ip, request.getParameter("email"));
        }
        if (!verdict.allowed()) {
            RateLimitResponses.sendHostedPage(request, response, verdict);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isPasswordGrant(HttpServletRequest request, String path) {
        return path.equals(TOKEN_ENDPOINT) && "password".equals(request.getParameter("grant_type"));
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    record SignInAttempt(String clientIp, String username) {
    }
}
