package io.latchkey.database;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.latchkey.admission.BusyResponses;

/**
 * {@code 503 Service Unavailable} with {@code Retry-After} while the database is unreachable, in the format of
 * the endpoint that was asked: the OAuth error JSON ({@code temporarily_unavailable}, RFC 6749 section 5.2) on
 * the protocol endpoints machines call, problem details (RFC 9457) under {@code /api/}, and the themed error
 * page elsewhere, marked with {@link #PAGE_ATTRIBUTE} so that it says the service is unavailable rather than
 * busy (on the authorization and logout endpoints it also shows the OAuth error code).
 */
public final class UnavailableResponses {

    /** Request attribute set when the error page is shown because the database is unreachable. */
    public static final String PAGE_ATTRIBUTE = UnavailableResponses.class.getName() + ".PAGE";

    private UnavailableResponses() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, Duration retryAfter)
            throws IOException {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setHeader("Cache-Control", "no-store");
        String path = request.getServletPath();
        String detail = description(seconds);
        if (BusyResponses.isMachineProtocolEndpoint(path)) {
            write(response, MediaType.APPLICATION_JSON_VALUE, "{\"error\":\"" + BusyResponses.OAUTH_ERROR
                    + "\",\"error_description\":\"" + detail + "\"}");
        }
        else if (path.startsWith("/api/")) {
            write(response, MediaType.APPLICATION_PROBLEM_JSON_VALUE, "{\"type\":\"about:blank\",\"title\":"
                    + "\"Service Unavailable\",\"status\":503,\"detail\":\"" + detail + "\"}");
        }
        else {
            request.setAttribute(PAGE_ATTRIBUTE, Boolean.TRUE);
            response.sendError(HttpStatus.SERVICE_UNAVAILABLE.value());
        }
    }

    /** The text of the answer, for handlers that write it in their own format. */
    public static String description(long retryAfterSeconds) {
        return "The service is temporarily unavailable. Try again in " + retryAfterSeconds
                + (retryAfterSeconds == 1 ? " second." : " seconds.");
    }

    private static void write(HttpServletResponse response, String contentType, String body) throws IOException {
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body);
    }
}
