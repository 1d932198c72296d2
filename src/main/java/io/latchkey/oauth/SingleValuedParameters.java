package io.latchkey.oauth;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import io.latchkey.http.EndpointErrors;

/**
 * At the token, introspection, revocation, device authorization and PAR endpoints no parameter may appear twice (RFC 6749 section 3.2:
 * "Request and response parameters MUST NOT be included more than once"), except {@code resource}, which
 * RFC 8707 lets a client repeat. Checked before the client is authenticated, because the authorization
 * server's own checks cover only the parameters it knows: a repeated {@code code_verifier} reached its PKCE
 * check as an array and failed there with a 500.
 */
final class SingleValuedParameters extends OncePerRequestFilter {

    private static final Set<String> REPEATABLE = Set.of("resource");

    private final RequestMatcher endpoints;

    SingleValuedParameters(AuthorizationServerSettings settings) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        this.endpoints = new OrRequestMatcher(paths.matcher(settings.getTokenEndpoint()),
                paths.matcher(settings.getTokenIntrospectionEndpoint()),
                paths.matcher(settings.getTokenRevocationEndpoint()),
                paths.matcher(settings.getDeviceAuthorizationEndpoint()),
                // a pushed request is kept and read again at the authorization endpoint, where no check expects an
                // array where a parameter should be (RFC 9126 section 2.1 takes RFC 6749's rule over)
                paths.matcher(settings.getPushedAuthorizationRequestEndpoint()));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !endpoints.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (parameter.getValue().length > 1 && !REPEATABLE.contains(parameter.getKey())) {
                EndpointErrors.refuse(request, response, HttpStatus.BAD_REQUEST, "A parameter appears more than once.");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
