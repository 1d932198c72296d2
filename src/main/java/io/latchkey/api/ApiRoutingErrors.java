package io.latchkey.api;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors that happen before any API controller is chosen (no such path: 404; a method the path does not take:
 * 405 with Allow; a body type it does not take: 415; an answer type it cannot give: 406) are outside the reach of
 * {@link ApiExceptionHandler}, which applies to the API's controllers only. Under {@code /api/v1/} they are
 * answered here as problem details; everywhere else this resolver does nothing, and the hosted pages keep their
 * error pages.
 */
@Component
class ApiRoutingErrors implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiRoutingErrors.class);

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        if (handler != null || !request.getRequestURI().startsWith("/api/v1/")) {
            return null;
        }
        HttpStatus status;
        if (ex instanceof NoHandlerFoundException || ex instanceof NoResourceFoundException) {
            status = HttpStatus.NOT_FOUND;
        }
        else if (ex instanceof HttpRequestMethodNotSupportedException methodNotSupported) {
            status = HttpStatus.METHOD_NOT_ALLOWED;
            if (methodNotSupported.getSupportedMethods() != null) {
                response.setHeader("Allow", String.join(", ", methodNotSupported.getSupportedMethods()));
            }
        }
        else if (ex instanceof HttpMediaTypeNotSupportedException) {
            status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
        }
        else if (ex instanceof HttpMediaTypeNotAcceptableException) {
            status = HttpStatus.NOT_ACCEPTABLE;
        }
        else {
            return null;
        }
        try {
            ApiProblems.write(response, ApiProblems.of(status, null, status.getReasonPhrase()));
        }
        catch (IOException io) {
            log.debug("Could not write an API error", io);
        }
        return new ModelAndView();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
