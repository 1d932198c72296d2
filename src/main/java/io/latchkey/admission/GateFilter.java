package io.latchkey.admission;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A gate in front of the application that may answer 503 before a request reaches it (admission, the database
 * outage); every gate lets the {@link UngatedPaths} through untouched.
 */
public abstract class GateFilter extends OncePerRequestFilter {

    @Override
    protected final boolean shouldNotFilter(HttpServletRequest request) {
        return UngatedPaths.contains(request.getServletPath());
    }
}
