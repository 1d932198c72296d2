package io.latchkey.oauth.authorize;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.WebUtils;

import io.latchkey.runtime.ProductionCookies;

/**
 * Re-authentication is remembered per authorization request: when {@link SessionFreshness} sends the user to the
 * login page it notes the request and the time, and a sign-in after that time satisfies the same request when the
 * browser comes back with it. The note is kept in the session when there is one, else in a short-lived cookie
 * ({@value #COOKIE}), so that an anonymous visitor costs no session row; either way any instance finds it. The
 * cookie holds a hash of the request's parameters: it serves only the very request it was made for (its state,
 * nonce and PKCE challenge included).
 */
final class PendingReauthentication {

    static final String SESSION_ATTRIBUTE = PendingReauthentication.class.getName() + ".PENDING";
    /** Carries a pending re-authentication of a browser that has no session yet. */
    static final String COOKIE = "latchkey-reauth";
    private static final int COOKIE_SECONDS = 900;

    private final ProductionCookies cookies;
    private final String cookieName;

    PendingReauthentication(ProductionCookies cookies) {
        this.cookies = cookies;
        this.cookieName = cookies.name(COOKIE);
    }

    /** Notes that the current request waits for a sign-in after {@code since}. */
    void remember(Instant since) {
        HttpServletRequest servletRequest = currentRequest();
        if (servletRequest == null) {
            return;
        }
        Noted pending = new Noted(fingerprint(servletRequest), since);
        HttpServletResponse response = currentResponse();
        if (servletRequest.getSession(false) != null || response == null) {
            servletRequest.getSession().setAttribute(SESSION_ATTRIBUTE, pending);
        }
        else {
            response.addCookie(cookie(servletRequest, pending.cookieValue(), COOKIE_SECONDS));
        }
    }

    /** Whether a sign-in at {@code authenticatedAt} is the one the current request was noted to wait for. */
    boolean satisfiedBy(Instant authenticatedAt) {
        HttpServletRequest servletRequest = currentRequest();
        if (servletRequest == null || authenticatedAt == null) {
            return false;
        }
        String fingerprint = fingerprint(servletRequest);
        HttpSession session = servletRequest.getSession(false);
        if (session != null && session.getAttribute(SESSION_ATTRIBUTE) instanceof Noted pending
                && pending.requestFingerprint().equals(fingerprint) && !authenticatedAt.isBefore(pending.since())) {
            return true;
        }
        Instant since = Noted.sinceInCookie(WebUtils.getCookie(servletRequest, cookieName), fingerprint);
        return since != null && !authenticatedAt.isBefore(since);
    }

    /** Forgets the pending re-authentication once the request it was for has been answered. */
    void forget(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_ATTRIBUTE) != null) {
            session.removeAttribute(SESSION_ATTRIBUTE);
        }
        if (WebUtils.getCookie(request, cookieName) != null) {
            response.addCookie(cookie(request, "", 0));
        }
    }

    private Cookie cookie(HttpServletRequest request, String value, int maxAge) {
        Cookie cookie = new Cookie(cookieName, value);
        cookie.setPath(request.getContextPath() + "/");
        cookie.setHttpOnly(true);
        cookie.setSecure(cookies.secure(request.isSecure()));
        cookie.setMaxAge(maxAge);
        cookie.setAttribute("SameSite", "Lax");
        return cookie;
    }

    /** The authorization request's parameters, without the {@code continue} marker of a replayed request. */
    static String fingerprint(HttpServletRequest request) {
        String query = request.getQueryString() == null ? "" : request.getQueryString();
        return Arrays.stream(query.split("&"))
                .filter(part -> !part.equals("continue") && !part.startsWith("continue="))
                .sorted().collect(Collectors.joining("&"));
    }

    private static HttpServletResponse currentResponse() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getResponse() : null;
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    /** A request waiting for a sign-in after {@code since}, as the session keeps it. */
    record Noted(String requestFingerprint, Instant since) implements Serializable {

        String cookieValue() {
            return hash(requestFingerprint) + "." + since.toEpochMilli();
        }

        /** The time in the cookie, if the cookie was made for the request with this fingerprint. */
        static Instant sinceInCookie(Cookie cookie, String fingerprint) {
            if (cookie == null || cookie.getValue() == null) {
                return null;
            }
            String[] parts = cookie.getValue().split("\\.");
            try {
                return parts.length == 2 && MessageDigest.isEqual(parts[0].getBytes(StandardCharsets.US_ASCII),
                        hash(fingerprint).getBytes(StandardCharsets.US_ASCII))
                        ? Instant.ofEpochMilli(Long.parseLong(parts[1])) : null;
            }
            catch (NumberFormatException unreadable) {
                return null;
            }
        }

        private static String hash(String fingerprint) {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8)));
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
