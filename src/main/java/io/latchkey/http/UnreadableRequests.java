package io.latchkey.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request must be readable before anything reads it. Its parameters (query string and form body) are
 * parsed here, once: if the container cannot parse them (bad percent-encoding, invalid UTF-8, more than
 * {@code server.tomcat.max-parameter-count}, a chunked form body over the size limit), the request is refused
 * with 400 (413 for the size) in the endpoint's format ({@link EndpointErrors}). Left alone, the failure
 * would surface wherever a parameter is first read (the language switcher, the CSRF check, a controller) as
 * an exception, a 500 and a stack trace in the log. A {@code Content-Type} that is not a media type (or is a
 * wildcard) is refused the same way with 415.
 */
@Configuration(proxyBeanMethods = false)
class UnreadableRequests {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> unreadableRequestsFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Check());
        // after the size limit, before everything else (the form content filter, admission, security, MVC)
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    static final class Check extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!isMediaType(request.getContentType())) {
                EndpointErrors.refuse(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "The Content-Type of the request is not a media type.");
                return;
            }
            try {
                request.getParameterMap();
            }
            catch (InvalidParameterException unparseable) {
                if (unparseable.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value()) {
                    EndpointErrors.refuse(request, response, HttpStatus.CONTENT_TOO_LARGE, RequestSizeLimit.TOO_LARGE);
                }
                else {
                    EndpointErrors.refuse(request, response, HttpStatus.BAD_REQUEST,
                            "The request's parameters cannot be read (bad encoding, or too many).");
                }
                return;
            }
            chain.doFilter(request, response);
        }

        private static boolean isMediaType(String contentType) {
            if (contentType == null || contentType.isBlank()) {
                return true;
            }
            try {
                MediaType type = MediaType.parseMediaType(contentType);
                return !type.isWildcardType() && !type.isWildcardSubtype();
            }
            catch (InvalidMediaTypeException notAMediaType) {
                return false;
            }
        }
    }
}
