package io.latchkey.oauth.authorize;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Which authorization request was last sent to which step-up page, kept in the session (only signed-in users step
 * up). When the same request comes back from that page still short of what it asked, it is not sent there again: a
 * page that cannot give what was asked (a code page asked for a passkey) must not become a redirect loop.
 */
final class PendingStepUp {

    static final String SESSION_ATTRIBUTE = PendingStepUp.class.getName() + ".SENT";

    private PendingStepUp() {
    }

    /** Notes that the current request is being sent to {@code page}. */
    static void remember(String page) {
        HttpServletRequest request = currentRequest();
        if (request != null) {
            request.getSession().setAttribute(SESSION_ATTRIBUTE, page + " " + PendingReauthentication.fingerprint(request));
        }
    }

    /** Whether the current request was already sent to {@code page}. */
    static boolean alreadySentTo(String page) {
        HttpServletRequest request = currentRequest();
        HttpSession session = request == null ? null : request.getSession(false);
        return session != null && (page + " " + PendingReauthentication.fingerprint(request))
                .equals(session.getAttribute(SESSION_ATTRIBUTE));
    }

    /** Forgets the note once an authorization request has been answered. */
    static void forget(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_ATTRIBUTE) != null) {
            session.removeAttribute(SESSION_ATTRIBUTE);
        }
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }
}
