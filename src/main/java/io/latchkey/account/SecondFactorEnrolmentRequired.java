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
 * A user who must have a second factor ({@code latchkey.mfa.required-for-roles}) and has none does nothing else
 * until they enrol one: after the hosted sign-in every page, the authorization endpoint included, sends them to
 * {@value #PAGE}; afterwards they go on where they were headed. The password grant and the API refuse them
 * ({@link SecondFactorRequiredException} with {@code enrolled=false}). Whether it is required is read once per
 * session and kept in it until the enrolment page reports the enrolment ({@link #enrolled}).
 *
 * <p>Both browser filter chains add {@link #gate()} after {@link PasswordChangeRequired#gate()}.
 */
@Component
public class SecondFactorEnrolmentRequired {

    public static final String PAGE = "/account/second-factor";
    static final String REQUIRED = "latchkey.account.secondFactorEnrolmentRequired";
    static final String AFTERWARDS = "latchkey.account.afterSecondFactorEnrolment";
    private static final Set<String> ALWAYS_OPEN = Set.of(PAGE, "/login/second-factor", PasswordChangeRequired.PAGE,
            "/logout", "/login", "/error", "/favicon.ico", "/connect/logout");

    private final SecondFactor secondFactor;

    SecondFactorEnrolmentRequired(SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
    }

    /** A new filter for a security filter chain. */
    public OncePerRequestFilter gate() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (mustEnrolFirst(request)) {
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

    private boolean mustEnrolFirst(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (ALWAYS_OPEN.contains(path) || path.startsWith(PAGE + "/") || path.startsWith("/login/second-factor/")
                || path.startsWith("/static/")) {
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
        boolean required = secondFactor.mustEnrol(userId);
        session.setAttribute(REQUIRED, required);
        return required;
    }

    /** Whether this session is being held on the enrolment page. */
    public static boolean held(HttpSession session) {
        return session != null && Boolean.TRUE.equals(session.getAttribute(REQUIRED));
    }

    /** The enrolment is made: this session goes on; returns where the user was headed, if anywhere. */
    public static String enrolled(HttpSession session) {
        session.setAttribute(REQUIRED, false);
        Object afterwards = session.getAttribute(AFTERWARDS);
        session.removeAttribute(AFTERWARDS);
        return afterwards instanceof String path && path.startsWith("/") && !path.startsWith("//") ? path : null;
    }
}
