package io.latchkey.ratelimit;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The answers to a request over a rate limit: always {@code 429 Too Many Requests} with {@code Retry-After}. */
public final class RateLimitResponses {

    /** The OAuth error code of a rate-limited token request. */
    public static final String OAUTH_ERROR = "temporarily_unavailable";

    /** Request attribute with the minutes to wait, for the hosted error page. */
    public static final String RETRY_AFTER_MINUTES = "retryAfterMinutes";

    private RateLimitResponses() {
    }

    /**
     * For OAuth endpoints such as {@code /oauth2/token}: the error JSON of RFC 6749 section 5.2,
     * {@code {"error":"temporarily_unavailable","error_description":"Too many attempts. Try again in N seconds."}}.
     */
    public static void writeOAuthError(HttpServletResponse response, Verdict verdict) throws IOException {
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(oauthErrorJson(verdict));
    }

    /** The body of {@link #writeOAuthError}, for callers that build their own response. */
    public static String oauthErrorJson(Verdict verdict) {
        return "{\"error\":\"" + OAUTH_ERROR + "\",\"error_description\":\"Too many attempts. Try again in "
                + verdict.retryAfterSeconds() + " seconds.\"}";
    }

    /** For the hosted pages: the themed error page, which explains the wait in the user's language. */
    public static void sendHostedPage(HttpServletRequest request, HttpServletResponse response, Verdict verdict)
            throws IOException {
        response.setHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        request.setAttribute(RETRY_AFTER_MINUTES, verdict.retryAfterMinutes());
        response.sendError(HttpStatus.TOO_MANY_REQUESTS.value());
    }
}
