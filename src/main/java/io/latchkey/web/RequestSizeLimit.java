package io.latchkey.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code latchkey.http.max-request-body} before anything reads them,
 * with 413 in the format of the endpoint: an OAuth JSON error (RFC 6749 section 5.2) on OAuth endpoints,
 * problem details on the API, the error page elsewhere. Left to the servlet container, the answer would
 * be the container's own HTML page.
 */
@Configuration(proxyBeanMethods = false)
class RequestSizeLimit {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestSizeLimitFilter(
            @Value("${latchkey.http.max-request-body:64KB}") DataSize maxBody) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Limit(maxBody.toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    static final class Limit extends OncePerRequestFilter {

        private static final String TOO_LARGE_PAGE = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Something went wrong · Latchkey</title><link rel=\"stylesheet\" href=\"/static/latchkey.css\">"
                + "</head><body><main class=\"card\"><h1>Something went wrong</h1>"
                + "<p>The request was too large. Please go back and try again.</p></main></body></html>";

        private final long maxBytes;

        Limit(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getContentLengthLong() <= maxBytes) {
                chain.doFilter(request, response);
                return;
            }
            String path = request.getRequestURI();
            if (path.startsWith("/oauth2/") || path.startsWith("/connect/") || path.equals("/userinfo")) {
                write(response, MediaType.APPLICATION_JSON_VALUE,
                        "{\"error\":\"invalid_request\",\"error_description\":\"The request body is too large\"}");
            }
            else if (path.startsWith("/api/")) {
                write(response, MediaType.APPLICATION_PROBLEM_JSON_VALUE, "{\"type\":\"about:blank\",\"title\":"
                        + "\"Payload Too Large\",\"status\":413,\"detail\":\"The request body is too large\"}");
            }
            else {
                // not the error page: rendering it would make the container read the oversized body
                write(response, MediaType.TEXT_HTML_VALUE, TOO_LARGE_PAGE);
            }
        }

        private static void write(HttpServletResponse response, String contentType, String body) throws IOException {
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            response.setContentType(contentType);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().write(body);
        }
    }
}
