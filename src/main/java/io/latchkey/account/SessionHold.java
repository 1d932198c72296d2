package io.latchkey.account;

import java.io.IOException;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds a signed-in browser session on one page until the user has done what the page asks (replace a printed
 * password, enrol a second factor): every other page, the authorization endpoint included, redirects there, and the
 * page the user was headed for is kept for afterwards. Whether a session must be held is asked once and kept in the
 * session, so a held user costs no query per request.
 */
final class SessionHold {

    private final String page;
    private final String heldAttribute;
    private final String afterwardsAttribute;
    private final Predicate<String> alwaysOpen;
    private final Predicate<UUID> mustHold;

    /**
     * @param alwaysOpen the paths (without context path) a held user may still reach besides {@code page}
     * @param mustHold asked once per session: whether the signed-in user must be held
     */
    SessionHold(String page, String heldAttribute, String afterwardsAttribute, Predicate<String> alwaysOpen,
            Predicate<UUID> mustHold) {
        this.page = page;
        this.heldAttribute = heldAttribute;
        this.afterwardsAttribute = afterwardsAttribute;
        this.alwaysOpen = alwaysOpen;
        this.mustHold = mustHold;
    }

    /** A new filter for a security filter chain, to run after the security context is loaded. */
    OncePerRequestFilter gate() {
        return new OncePerRequestFilter() {
            /** One per hold: the default name is the class's, which every hold's gate shares. */
            @Override
            protected String getAlreadyFilteredAttributeName() {
                return heldAttribute + ".FILTERED";
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (held(request)) {
                    if ("GET".equals(request.getMethod())) {
                        String query = request.getQueryString();
                        request.getSession().setAttribute(afterwardsAttribute,
                                request.getRequestURI() + (query == null ? "" : "?" + query));
                    }
                    response.sendRedirect(request.getContextPath() + page);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    private boolean held(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(page) || alwaysOpen.test(path)) {
            return false;
        }
        HttpSession session = request.getSession(false);
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (session == null || user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
            return false;
        }
        Object known = session.getAttribute(heldAttribute);
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
        boolean required = mustHold.test(userId);
        session.setAttribute(heldAttribute, required);
        return required;
    }

    static boolean isHeld(HttpSession session, String heldAttribute) {
        return session != null && Boolean.TRUE.equals(session.getAttribute(heldAttribute));
    }

    /** The user did what the page asked: the session goes on; where the user was headed, if anywhere. */
    static String release(HttpSession session, String heldAttribute, String afterwardsAttribute) {
        session.setAttribute(heldAttribute, false);
        Object afterwards = session.getAttribute(afterwardsAttribute);
        session.removeAttribute(afterwardsAttribute);
        return afterwards instanceof String path && path.startsWith("/") && !path.startsWith("//") ? path : null;
    }
}
