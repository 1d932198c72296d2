package io.latchkey.production;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * HSTS (RFC 6797) on every response in production, before any other filter can answer (an overload 503, a firewall
 * 400, an error page): after one visit over HTTPS a browser never again talks plain HTTP to this host, so no network
 * on the way can strip TLS and read a session cookie or a password. Spring Security's own HSTS writer, which sends
 * the same value on HTTPS requests only, leaves a header that is already there alone. Browsers ignore the header on
 * plain HTTP, so sending it on a request that came over HTTP to a trusted proxy does no harm.
 */
final class StrictTransportSecurity implements Filter {

    static final String HEADER = "Strict-Transport-Security";
    /** One year, the subdomains of the issuer's host too: what Spring Security sends on HTTPS requests. */
    static final String VALUE = "max-age=31536000 ; includeSubDomains";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(response instanceof HttpServletResponse http)) {
            chain.doFilter(request, response);
            return;
        }
        http.setHeader(HEADER, VALUE);
        chain.doFilter(request, new HttpServletResponseWrapper(http) {
            // a late answer (the fast 503 of an overload, say) starts over with reset(): it keeps HSTS
            @Override
            public void reset() {
                super.reset();
                setHeader(HEADER, VALUE);
            }
        });
    }
}
