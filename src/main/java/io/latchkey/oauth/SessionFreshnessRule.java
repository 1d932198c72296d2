package io.latchkey.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.WebUtils;

import io.latchkey.runtime.ProductionCookies;

/**
 * OpenID Connect Core 3.1.2.1: {@code prompt=none} never shows a login page ({@code login_required} when
 * there is no session), {@code prompt=login} always asks to sign in again, and {@code max_age} asks to
 * sign in again when the last sign-in is older ({@code max_age=0}: every time).
 *
 * <p>Re-authentication is remembered per authorization request: when this rule sends the user to the
 * login page it notes the request and the time, and a sign-in after that time satisfies the same request
 * when the browser comes back with it.
 */
class SessionFreshnessRule implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    static final String PENDING_REAUTHENTICATION = SessionFreshnessRule.class.getName() + ".PENDING";
    /** Carries a pending re-authentication of a browser that has no session yet. */
    static final String PENDING_COOKIE = "latchkey-reauth";
    private static final int PENDING_COOKIE_SECONDS = 900;

    private final Clock clock;

    private final ProductionCookies cookies;
    private final String pendingCookieName;

    SessionFreshnessRule(Clock clock, ProductionCookies cookies) {
        this.clock = clock;
        this.cookies = cookies;
        this.pendingCookieName = cookies.name(PENDING_COOKIE);
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Set<String> prompt = promptValues(request);
        if (failsLaterRules(context, prompt)) {
            return;
        }
        String maxAgeParameter = (String) request.getAdditionalParameters().get("max_age");
        Duration maxAge = parseMaxAge(maxAgeParameter, context);
        boolean wantsFreshLogin = prompt.contains("login") || maxAge != null;
        Authentication principal = (Authentication) request.getPrincipal();
        HttpServletRequest servletRequest = currentRequest();

        if (!isSignedIn(principal)) {
            if (prompt.contains("none")) {
                throw error("login_required", "The user is not signed in", context);
            }
            if (wantsFreshLogin) {
                // The login the entry point is about to show is the fresh one this request asks for.
                remember(servletRequest, clock.instant().minusSeconds(1));
            }
            return;
        }
        if (!wantsFreshLogin) {
            return;
        }
        Instant authenticatedAt = authenticationTime(principal);
        boolean recentEnough = maxAge != null && !prompt.contains("login")
                && authenticatedAt != null && !authenticatedAt.plus(maxAge).isBefore(clock.instant())
                && maxAge.compareTo(Duration.ZERO) > 0;
        if (recentEnough || satisfiesPending(servletRequest, authenticatedAt)) {
            return;
        }
        if (prompt.contains("none")) {
            throw error("login_required", "The sign-in is older than the request allows", context);
        }
        remember(servletRequest, clock.instant());
        throw new ReauthenticationRequiredException(withRedirectUri(context));
    }

    /**
     * The authorization server checks PKCE and the {@code prompt} syntax after this rule. A request those
     * checks reject must get their error ({@code invalid_request}), not a session-state answer from here.
     */
    private static boolean failsLaterRules(OAuth2AuthorizationCodeRequestAuthenticationContext context,
            Set<String> prompt) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Map<String, Object> parameters = request.getAdditionalParameters();
        Object challenge = parameters.get(PkceParameterNames.CODE_CHALLENGE);
        Object method = parameters.get(PkceParameterNames.CODE_CHALLENGE_METHOD);
        boolean pkceMissing = context.getRegisteredClient().getClientSettings().isRequireProofKey()
                && (challenge == null || challenge.toString().isBlank());
        boolean pkceMethodWrong = method != null && !"S256".equals(method);
        return pkceMissing || pkceMethodWrong || (prompt.contains("none") && prompt.size() > 1);
    }

    private static Set<String> promptValues(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        Object prompt = request.getAdditionalParameters().get("prompt");
        if (!(prompt instanceof String value) || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.trim().split(" +")).collect(Collectors.toSet());
    }

    private static Duration parseMaxAge(String value, OAuth2AuthorizationCodeRequestAuthenticationContext request) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        }
        catch (NumberFormatException ex) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "OpenID Connect 1.0 Parameter: max_age", request);
        }
    }

    private static boolean isSignedIn(Authentication principal) {
        return principal != null && principal.isAuthenticated() && !(principal instanceof AnonymousAuthenticationToken);
    }

    /** When the user last proved who they are: the newest factor (password, passkey, ...) they presented. */
    static Instant authenticationTime(Authentication principal) {
        Instant newest = null;
        for (GrantedAuthority authority : principal.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority factor
                    && (newest == null || factor.getIssuedAt().isAfter(newest))) {
                newest = factor.getIssuedAt();
            }
        }
        return newest;
    }

    private boolean satisfiesPending(HttpServletRequest servletRequest, Instant authenticatedAt) {
        if (servletRequest == null || authenticatedAt == null) {
            return false;
        }
        String fingerprint = fingerprint(servletRequest);
        HttpSession session = servletRequest.getSession(false);
        if (session != null && session.getAttribute(PENDING_REAUTHENTICATION) instanceof PendingReauthentication pending
                && pending.requestFingerprint().equals(fingerprint) && !authenticatedAt.isBefore(pending.since())) {
            return true;
        }
        Instant since = PendingReauthentication.sinceInCookie(WebUtils.getCookie(servletRequest, pendingCookieName),
                fingerprint);
        return since != null && !authenticatedAt.isBefore(since);
    }

    /**
     * Notes that the request waits for a sign-in after {@code since}: in the session when there is one, else in
     * a short-lived cookie, so that an anonymous visitor costs no session row. Either way any instance finds it.
     * The cookie holds a hash of the request's parameters: it serves only the very request it was made for (its
     * state, nonce and PKCE challenge included).
     */
    private void remember(HttpServletRequest servletRequest, Instant since) {
        if (servletRequest == null) {
            return;
        }
        PendingReauthentication pending = new PendingReauthentication(fingerprint(servletRequest), since);
        HttpServletResponse response = currentResponse();
        if (servletRequest.getSession(false) != null || response == null) {
            servletRequest.getSession().setAttribute(PENDING_REAUTHENTICATION, pending);
        }
        else {
            response.addCookie(pendingCookie(servletRequest, pending.cookieValue(), PENDING_COOKIE_SECONDS));
        }
    }

    /** Forgets the pending re-authentication once the request it was for has been answered. */
    void forget(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(PENDING_REAUTHENTICATION) != null) {
            session.removeAttribute(PENDING_REAUTHENTICATION);
        }
        if (WebUtils.getCookie(request, pendingCookieName) != null) {
            response.addCookie(pendingCookie(request, "", 0));
        }
    }

    private Cookie pendingCookie(HttpServletRequest request, String value, int maxAge) {
        Cookie cookie = new Cookie(pendingCookieName, value);
        cookie.setPath(request.getContextPath() + "/");
        cookie.setHttpOnly(true);
        cookie.setSecure(cookies.secure(request.isSecure()));
        cookie.setMaxAge(maxAge);
        cookie.setAttribute("SameSite", "Lax");
        return cookie;
    }

    /** The authorization request's parameters, without the {@code continue} marker of a replayed request. */
    private static String fingerprint(HttpServletRequest request) {
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

    private static OAuth2AuthorizationCodeRequestAuthenticationException error(String code, String description,
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(code, description, null), withRedirectUri(context));
    }

    /**
     * The request as errors must carry it: with the redirect URI the client gave (already verified by the
     * rules before this one) or, where it may be left out, the client's only registered one.
     */
    private static OAuth2AuthorizationCodeRequestAuthenticationToken withRedirectUri(
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        if (request.getRedirectUri() != null) {
            return request;
        }
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                request.getClientId(), (Authentication) request.getPrincipal(),
                context.getRegisteredClient().getRedirectUris().iterator().next(), request.getState(),
                request.getScopes(), request.getAdditionalParameters());
    }

    record PendingReauthentication(String requestFingerprint, Instant since) implements java.io.Serializable {

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

    /** Not an error for the client: the user must sign in again, then the same request continues. */
    static final class ReauthenticationRequiredException extends OAuth2AuthorizationCodeRequestAuthenticationException {

        ReauthenticationRequiredException(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
            super(new OAuth2Error("login_required", "Sign in again", null), request);
        }
    }
}
