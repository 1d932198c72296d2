package io.latchkey.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import io.latchkey.session.SavedRequests;

/**
 * Sends an admin whose sign-in is not strong enough ({@link StrongerSignInNeeded}) to the step that makes it so,
 * and back to the page afterwards. A page (GET) is saved as the place to come back to; after a refused form the
 * admin comes back to the console's start page, and submits again.
 */
@ControllerAdvice(basePackageClasses = AdminConsoleAdvice.class)
class AdminConsoleAdvice {

    private final RequestCache savedRequests;

    AdminConsoleAdvice(SavedRequests saved) {
        this.savedRequests = saved.ofPages();
    }

    @ExceptionHandler(StrongerSignInNeeded.class)
    String strongerSignIn(StrongerSignInNeeded needed, HttpServletRequest request, HttpServletResponse response) {
        if ("GET".equals(request.getMethod())) {
            savedRequests.saveRequest(request, response);
        }
        else {
            savedRequests.saveRequest(new ConsoleStart(request), response);
        }
        return "redirect:" + needed.step().path;
    }

    /** The console's start page, as the request to come back to after a form that needed a stronger sign-in. */
    private static final class ConsoleStart extends jakarta.servlet.http.HttpServletRequestWrapper {

        ConsoleStart(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public String getRequestURI() {
            return getContextPath() + AdminHomeController.PATH;
        }

        @Override
        public String getServletPath() {
            return AdminHomeController.PATH;
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = super.getRequestURL();
            String uri = super.getRequestURI();
            return new StringBuffer(url.substring(0, url.length() - uri.length())).append(getRequestURI());
        }
    }
}
