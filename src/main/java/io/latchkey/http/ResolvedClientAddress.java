package io.latchkey.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes {@code getRemoteAddr()} return the client IP as {@link ClientAddresses} resolves it (through trusted
 * proxies only), for everything downstream: audit records, Spring Security's authentication details, logs. Runs
 * before Spring's request context is set up, so that holds the resolved request too.
 */
final class ResolvedClientAddress extends OncePerRequestFilter {

    private final ClientAddresses addresses;

    ResolvedClientAddress(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String clientIp = addresses.clientIp(request);
        if (clientIp.equals(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getRemoteAddr() {
                return clientIp;
            }

            @Override
            public String getRemoteHost() {
                return clientIp;
            }
        }, response);
    }
}
