package io.latchkey.http;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The error page's way back to the application a failed request came from, when a module that knows the
 * registered clients can tell which one it was. Without one (or when it cannot tell), the error page links to
 * Latchkey's start page.
 */
public interface ApplicationWayBack {

    /** The link back for the failed request (as the error dispatch sees it: its parameters and cookies). */
    Optional<Link> of(HttpServletRequest failedRequest, HttpServletResponse response);

    /** A link to {@code href}, named after the application. */
    record Link(String href, String applicationName) {
    }
}
