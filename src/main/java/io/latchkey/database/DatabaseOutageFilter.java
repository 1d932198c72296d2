package io.latchkey.database;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.latchkey.admission.GateFilter;

/**
 * While the database is unreachable, answers every request 503 at once, before it takes an admission turn
 * or touches the database; otherwise lets it through and turns a connection failure that escapes it (from
 * a page, the API, or the authorization server's own filters) into the same 503 instead of an error with a
 * stack trace, and reports it ({@link DatabaseAvailability#reportFailure}).
 */
final class DatabaseOutageFilter extends GateFilter {

    private final DatabaseAvailability availability;

    DatabaseOutageFilter(DatabaseAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!availability.isAvailable()) {
            availability.refused();
            UnavailableResponses.write(request, response, availability.retryAfter());
            return;
        }
        try {
            chain.doFilter(request, response);
        }
        catch (ServletException | IOException | RuntimeException failure) {
            if (!availability.reportFailure(failure) || response.isCommitted()) {
                throw failure;
            }
            response.reset();
            UnavailableResponses.write(request, response, availability.retryAfter());
        }
    }
}
