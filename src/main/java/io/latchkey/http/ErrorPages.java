package io.latchkey.http;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

import io.latchkey.admission.BusyResponses;
import io.latchkey.database.UnavailableResponses;

/**
 * Error pages. Users see a friendly page with what went wrong in words they can act on, never a stack
 * trace or exception message; an OAuth error that cannot go back to the application (unknown client,
 * unregistered redirect URI) is shown here with its OAuth error code.
 */
@Component
public class ErrorPages extends DefaultErrorAttributes {

    private static final String OAUTH_ERROR = ErrorPages.class.getName() + ".OAUTH_ERROR";
    private static final String OAUTH_ERROR_DESCRIPTION = ErrorPages.class.getName() + ".OAUTH_ERROR_DESCRIPTION";

    /** Shows the error page for an OAuth error that must not be sent to the client's redirect URI. */
    public static void sendOAuthError(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
            String errorCode, String description) throws IOException {
        request.setAttribute(OAUTH_ERROR, errorCode);
        request.setAttribute(OAUTH_ERROR_DESCRIPTION, description);
        response.sendError(status.value());
    }

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest webRequest, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(webRequest, options);
        if (webRequest.getAttribute(UnavailableResponses.PAGE_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) != null) {
            attributes.put("unavailable", true);
            // the authorization and logout endpoints are OAuth endpoints a browser shows: their error code too
            Object failedPath = webRequest.getAttribute(RequestDispatcher.ERROR_REQUEST_URI,
                    RequestAttributes.SCOPE_REQUEST);
            if (failedPath instanceof String path && (path.startsWith("/oauth2/") || path.startsWith("/connect/"))) {
                attributes.put("oauthError", BusyResponses.OAUTH_ERROR);
            }
        }
        Object code = webRequest.getAttribute(OAUTH_ERROR, RequestAttributes.SCOPE_REQUEST);
        if (code != null) {
            attributes.put("oauthError", code);
            attributes.put("oauthErrorDescription",
                    webRequest.getAttribute(OAUTH_ERROR_DESCRIPTION, RequestAttributes.SCOPE_REQUEST));
        }
        return attributes;
    }
}
