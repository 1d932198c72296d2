package io.latchkey.admission;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.latchkey.ops.RequestIds;

/**
 * {@code 503 Service Unavailable} with {@code Retry-After}, in the format of the endpoint that was asked:
 * the OAuth error JSON of RFC 6749 section 5.2 ({@code temporarily_unavailable}) on the protocol endpoints
 * that machines call, problem details (RFC 9457) on {@code /api/}, and the themed error page elsewhere
 * (the hosted pages, and the authorization and logout endpoints, which a browser shows).
 */
public final class BusyResponses {

    public static final String OAUTH_ERROR = "temporarily_unavailable";

    private BusyResponses() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, Duration retryAfter)
            throws IOException {
        long seconds = Math.max(1, retryAfter.toSeconds());
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setHeader("Cache-Control", "no-store");
        String path = request.getServletPath();
        String detail = "The server is busy. Try again in " + seconds + (seconds == 1 ? " second." : " seconds.");
        if (isMachineProtocolEndpoint(path)) {
            write(response, MediaType.APPLICATION_JSON_VALUE,
                    "{\"error\":\"" + OAUTH_ERROR + "\",\"error_description\":\"" + detail + "\"}");
        }
        else if (path.startsWith("/api/")) {
            String requestId = RequestIds.current();
            write(response, MediaType.APPLICATION_PROBLEM_JSON_VALUE, "{\"type\":\"about:blank\",\"title\":"
                    + "\"Service Unavailable\",\"status\":503,\"detail\":\"" + detail + "\""
                    + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"") + "}");
        }
        else {
            response.sendError(HttpStatus.SERVICE_UNAVAILABLE.value());
        }
    }

    /** The endpoints of the authorization server that answer in JSON (not the authorization or logout page). */
    public static boolean isMachineProtocolEndpoint(String path) {
        return path.equals("/oauth2/token") || path.equals("/oauth2/introspect") || path.equals("/oauth2/revoke")
                || path.equals("/oauth2/par")
                || path.equals("/oauth2/authorize-challenge")
                || path.equals("/oauth2/jwks") || path.equals("/userinfo") || path.startsWith("/.well-known/")
                // dynamic client registration (RFC 7591, RFC 7592), io.latchkey.clientregistration
                || path.equals("/connect/register") || path.startsWith("/connect/register/");
    }

    private static void write(HttpServletResponse response, String contentType, String body) throws IOException {
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body);
    }
}
