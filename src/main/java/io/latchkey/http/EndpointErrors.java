package io.latchkey.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.util.HtmlUtils;

import io.latchkey.admission.BusyResponses;
import io.latchkey.ops.RequestIds;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals in the format of the endpoint that was asked: the JSON error of RFC 6749 section 5.2 on the OAuth
 * endpoints that machines call (token, introspection, revocation, JWKS, userinfo, discovery), problem details
 * (RFC 9457) under {@code /api/}, and a page everywhere else (the hosted pages, and the authorization,
 * consent and logout endpoints, which a browser shows).
 *
 * <p>{@link #refuse} is for requests refused before any application code read them: too large, undecodable,
 * rejected by the firewall or by the CORS policy. Its page is a plain one, not the themed and translated
 * error page, because rendering that one reads the request's language and cookies, which may be the very
 * thing that is malformed. The refusal is logged on one line at DEBUG: it is the client's mistake, and a
 * flood of them must not flood the log.
 */
public final class EndpointErrors {

    private static final Logger log = LoggerFactory.getLogger(EndpointErrors.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_LOGGED_PATH = 200;

    /** How an endpoint answers errors. */
    enum Format {
        OAUTH, PROBLEM, PAGE
    }

    private EndpointErrors() {
    }

    static Format formatOf(String path) {
        if (path == null) {
            return Format.PAGE;
        }
        if (BusyResponses.isMachineProtocolEndpoint(path) || isWebAuthnJson(path)) {
            return Format.OAUTH;
        }
        return path.startsWith("/api/") ? Format.PROBLEM : Format.PAGE;
    }

    /** The passkey endpoints that page scripts call with JSON (io.latchkey.passkey): they get a JSON error too. */
    private static boolean isWebAuthnJson(String path) {
        return path.startsWith("/webauthn/") || path.equals("/login/webauthn");
    }

    /** Answers a request refused at the entrance with {@code status}, in its endpoint's format. */
    public static void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
            String description) throws IOException {
        if (log.isDebugEnabled()) {
            log.debug("Refused {} {} with {}: {}", printable(request.getMethod()), printable(request.getRequestURI()),
                    status.value(), description);
        }
        response.resetBuffer();
        write(request.getServletPath(), response, status, description);
    }

    /** Writes the error answer for the endpoint at {@code path}; a page is the plain one of {@link #refuse}. */
    static void write(String path, HttpServletResponse response, HttpStatus status, String description)
            throws IOException {
        response.setStatus(status.value());
        response.setHeader("Cache-Control", "no-store");
        response.setCharacterEncoding("UTF-8");
        switch (formatOf(path)) {
            case OAUTH -> {
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.getWriter().write(JSON.writeValueAsString(oauthError(status, description)));
            }
            case PROBLEM -> {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.getWriter().write(JSON.writeValueAsString(problem(status, description)));
            }
            case PAGE -> {
                response.setContentType(MediaType.TEXT_HTML_VALUE);
                response.getWriter().write(page(status, description));
            }
        }
    }

    /** The RFC 6749 section 5.2 error code of an answer with this status. */
    static String oauthErrorCode(HttpStatus status) {
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            return BusyResponses.OAUTH_ERROR;
        }
        return status.is5xxServerError() ? "server_error" : "invalid_request";
    }

    static Map<String, Object> oauthError(HttpStatus status, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", oauthErrorCode(status));
        body.put("error_description", description);
        return body;
    }

    static Map<String, Object> problem(HttpStatus status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        String requestId = RequestIds.current();
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return body;
    }

    private static String page(HttpStatus status, String description) {
        String requestId = RequestIds.current();
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + heading(status) + " · Latchkey</title><link rel=\"stylesheet\" href=\"/static/latchkey.css\">"
                + "</head><body><main class=\"card\"><h1>" + heading(status) + "</h1><p>" + HtmlUtils.htmlEscape(description)
                + " Please go back and try again.</p><p class=\"links\"><a id=\"way-back\" href=\"/\">Go to the start page</a>"
                + "</p><p class=\"status\">Status " + status.value() + "</p>"
                + (requestId == null ? "" : "<p class=\"status\" id=\"request-id\">Request id "
                        + HtmlUtils.htmlEscape(requestId) + "</p>")
                + "</main></body></html>";
    }

    /** The plain page's heading: the themed error page's English title for the same status. */
    private static String heading(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "This request cannot be used";
            case FORBIDDEN -> "Not allowed";
            case NOT_FOUND -> "Page not found";
            case METHOD_NOT_ALLOWED -> "Not available this way";
            case TOO_MANY_REQUESTS -> "Please wait a moment";
            case INTERNAL_SERVER_ERROR -> "Latchkey ran into a problem";
            case SERVICE_UNAVAILABLE -> "The server is busy";
            default -> "Something went wrong";
        };
    }

    /** Client text for a log line: no line breaks or other control characters, and not too long. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > MAX_LOGGED_PATH ? text.substring(0, MAX_LOGGED_PATH) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
