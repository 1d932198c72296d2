package io.latchkey.pages;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

/**
 * The requests no page answers: a path no controller or static file is mapped to. They are answered with
 * 404 directly, signed in or not: sending a signed-out visitor to the login page first would promise a page
 * that is not there, and would save the missing page as the place to go back to after signing in.
 */
final class PathsWithoutAPage implements RequestMatcher {

    private final HandlerMappingIntrospector handlers;

    PathsWithoutAPage(HandlerMappingIntrospector handlers) {
        this.handlers = handlers;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        try {
            return handlers.getMatchableHandlerMapping(request) == null;
        }
        catch (HttpRequestMethodNotSupportedException pageExistsForOtherMethods) {
            return false;
        }
        catch (Exception notMatchable) {
            // a handler answers that cannot say which paths it takes: the page may exist, so it stays protected
            return false;
        }
    }
}
