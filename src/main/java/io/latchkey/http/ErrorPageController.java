package io.latchkey.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UriUtils;

import io.latchkey.database.DatabaseAvailability;
import io.latchkey.database.UnavailableResponses;
import io.latchkey.ops.RequestIds;

/**
 * Where the servlet container sends every error ({@code /error}), in the format of the endpoint that failed
 * ({@link EndpointErrors}): JSON errors for the OAuth endpoints machines call, problem details for the API,
 * and the themed, translated error page ({@link ErrorPages}) for everything a browser shows, whatever the
 * request's {@code Accept} said. Asked for directly, {@code /error} is a page that does not exist: 404.
 *
 * <p>The page has a title and heading per status, says how long to wait in words from the {@code Retry-After}
 * actually sent ({@link WaitInWords}), and links back: to the application the request came from when a module
 * above can tell ({@link ApplicationWayBack}), else to the start page.
 */
@Controller
class ErrorPageController implements ErrorController {

    private final ErrorAttributes errorAttributes;
    private final DatabaseAvailability database;
    private final ObjectProvider<ApplicationWayBack> applications;

    ErrorPageController(ErrorAttributes errorAttributes, DatabaseAvailability database,
            ObjectProvider<ApplicationWayBack> applications) {
        this.errorAttributes = errorAttributes;
        this.database = database;
        this.applications = applications;
    }

    @RequestMapping("${server.error.path:/error}")
    ModelAndView error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null ? HttpStatus.resolve(value)
                : code == null ? HttpStatus.NOT_FOUND : HttpStatus.INTERNAL_SERVER_ERROR;
        String path = code == null ? request.getServletPath() : servletPathOf(request);
        String description = status.getReasonPhrase();
        if (lostTheDatabase(request)) {
            // a connection failure that escaped before the outage filter saw it: 503, not a 500
            status = HttpStatus.SERVICE_UNAVAILABLE;
            long seconds = Math.max(1, database.retryAfter().toSeconds());
            response.setHeader("Retry-After", Long.toString(seconds));
            request.setAttribute(UnavailableResponses.PAGE_ATTRIBUTE, Boolean.TRUE);
            description = UnavailableResponses.description(seconds);
        }
        if (EndpointErrors.formatOf(path) != EndpointErrors.Format.PAGE) {
            EndpointErrors.write(path, response, status, description);
            return null;
        }
        Map<String, Object> model = errorAttributes.getErrorAttributes(new ServletWebRequest(request),
                ErrorAttributeOptions.defaults());
        model.put("status", status.value());
        model.put("requestId", RequestIds.of(request));
        model.put("headingKey", headingKey(status, model));
        WaitInWords.of(response.getHeader("Retry-After")).ifPresent(wait -> {
            model.put("waitKey", wait.messageKey());
            model.put("waitAmount", wait.amount());
        });
        wayBack(request, response).ifPresent(link -> {
            model.put("backHref", link.href());
            model.put("backApplication", link.applicationName());
        });
        return new ModelAndView("error", model, status);
    }

    private Optional<ApplicationWayBack.Link> wayBack(HttpServletRequest request, HttpServletResponse response) {
        ApplicationWayBack application = applications.getIfAvailable();
        try {
            return application == null ? Optional.empty() : application.of(request, response);
        }
        catch (RuntimeException unreadable) {
            // the page must render even when the request's parameters or cookies cannot be read
            return Optional.empty();
        }
    }

    /** The message key of the page's title and heading: one per status, the generic one for the rest. */
    private static String headingKey(HttpStatus status, Map<String, Object> model) {
        return switch (status) {
            case BAD_REQUEST -> model.get("oauthError") != null ? "error.oauth.title" : "error.400.title";
            case FORBIDDEN -> "error.403.title";
            case NOT_FOUND -> "error.404.title";
            case METHOD_NOT_ALLOWED -> "error.405.title";
            case TOO_MANY_REQUESTS -> "error.429.title";
            case INTERNAL_SERVER_ERROR -> "error.500.title";
            case SERVICE_UNAVAILABLE -> model.get("unavailable") != null ? "error.503.unavailable.title" : "error.503.title";
            default -> "error.title";
        };
    }

    private boolean lostTheDatabase(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && database.reportFailure(failure);
    }

    /** The decoded path of the request that failed, without the context path. */
    private static String servletPathOf(HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String text ? text : request.getServletPath();
        if (path.startsWith(request.getContextPath())) {
            path = path.substring(request.getContextPath().length());
        }
        try {
            return UriUtils.decode(path, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException undecodable) {
            return path;
        }
    }
}
