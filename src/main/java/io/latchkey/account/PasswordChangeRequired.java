package io.latchkey.account;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A user whose password must be replaced (the first administrator, whose password was generated and printed at the
 * first start) does nothing else until it is: after the hosted sign-in every page, the authorization endpoint
 * included, sends them to {@value #PAGE}; afterwards they go on where they were headed. The password grant and the
 * API's sign-in refuse them ({@link PasswordChangeRequiredException}), so no token is ever issued on a password that
 * was printed to a console. Whether it is required is read once per session and kept in it.
 *
 * <p>Both browser filter chains (hosted pages, authorization server) add {@link #gate()} right after the security
 * context is loaded.
 */
@Component
public class PasswordChangeRequired {

    static final String PAGE = "/account/change-password";
    static final String REQUIRED = "latchkey.account.passwordChangeRequired";
    static final String AFTERWARDS = "latchkey.account.afterPasswordChange";
    private static final Set<String> ALWAYS_OPEN = Set.of(PAGE, "/logout", "/login", "/error", "/favicon.ico",
            "/connect/logout");

    private final UserRepository users;

    PasswordChangeRequired(UserRepository users) {
        this.users = users;
    }

    /** A new filter for a security filter chain. */
    public OncePerRequestFilter gate() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (mustChangeFirst(request)) {
                    if ("GET".equals(request.getMethod())) {
                        String query = request.getQueryString();
                        request.getSession().setAttribute(AFTERWARDS,
                                request.getRequestURI() + (query == null ? "" : "?" + query));
                    }
                    response.sendRedirect(request.getContextPath() + PAGE);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    private boolean mustChangeFirst(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (ALWAYS_OPEN.contains(path) || path.startsWith("/static/")) {
            return false;
        }
        HttpSession session = request.getSession(false);
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (session == null || user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
            return false;
        }
        Object known = session.getAttribute(REQUIRED);
        if (known instanceof Boolean required) {
            return required;
        }
        UUID userId;
        try {
            userId = UUID.fromString(user.getName());
        }
        catch (IllegalArgumentException notAUser) {
            return false;
        }
        boolean required = users.passwordChangeRequired(userId);
        session.setAttribute(REQUIRED, required);
        return required;
    }

    /** The change is made: this session goes on; returns where the user was headed, if anywhere. */
    static String changed(HttpSession session) {
        session.setAttribute(REQUIRED, false);
        Object afterwards = session.getAttribute(AFTERWARDS);
        session.removeAttribute(AFTERWARDS);
        return afterwards instanceof String path && path.startsWith("/") && !path.startsWith("//") ? path : null;
    }
}
