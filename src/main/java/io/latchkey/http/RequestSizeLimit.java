package io.latchkey.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code latchkey.http.max-request-body} before anything reads them, with
 * 413 in the format of the endpoint ({@link EndpointErrors}). A body with a {@code Content-Length} is judged
 * by it. A chunked body has none, so what counts is the bytes that actually arrive: a chunked form is parsed
 * by the servlet container, whose own limit ({@link ContainerLimits}, the same value) stops it
 * ({@link UnreadableRequests} answers); any other chunked body (JSON) is read here, at most one byte past the
 * limit, and handed on from memory.
 */
@Configuration(proxyBeanMethods = false)
class RequestSizeLimit {

    static final String TOO_LARGE = "The request body is too large.";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestSizeLimitFilter(HttpLimitsProperties limits) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new Limit(limits.maxRequestBody().toBytes()));
        // after Spring Boot's character encoding filter (highest precedence), before everything that reads
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    static final class Limit extends OncePerRequestFilter {

        private final long maxBytes;

        Limit(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            long declared = request.getContentLengthLong();
            if (declared > maxBytes) {
                EndpointErrors.refuse(request, response, HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE);
                return;
            }
            if (declared >= 0 || request.getHeader("Transfer-Encoding") == null || isForm(request)) {
                chain.doFilter(request, response);
                return;
            }
            byte[] body = request.getInputStream().readNBytes((int) maxBytes + 1);
            if (body.length > maxBytes) {
                EndpointErrors.refuse(request, response, HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE);
                return;
            }
            chain.doFilter(new ReadAheadBody(request, body), response);
        }

        private static boolean isForm(HttpServletRequest request) {
            String type = request.getContentType();
            return type != null && type.toLowerCase(java.util.Locale.ROOT)
                    .startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
        }
    }
}
