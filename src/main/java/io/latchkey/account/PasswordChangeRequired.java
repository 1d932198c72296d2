package io.latchkey.account;

import java.util.Set;

import jakarta.servlet.http.HttpSession;

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
    private static final Set<String> ALWAYS_OPEN = Set.of("/logout", "/login", "/error", "/favicon.ico",
            "/connect/logout");

    private final SessionHold hold;

    PasswordChangeRequired(UserRepository users) {
        this.hold = new SessionHold(PAGE, REQUIRED, AFTERWARDS,
                path -> ALWAYS_OPEN.contains(path) || path.startsWith("/static/"), users::passwordChangeRequired);
    }

    /** A new filter for a security filter chain. */
    public OncePerRequestFilter gate() {
        return hold.gate();
    }

    /** The change is made: this session goes on; returns where the user was headed, if anywhere. */
    static String changed(HttpSession session) {
        return SessionHold.release(session, REQUIRED, AFTERWARDS);
    }
}
