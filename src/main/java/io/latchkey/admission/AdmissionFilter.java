package io.latchkey.admission;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Gives each request a turn ({@link Admission}) before anything touches the database, and answers 503
 * when none comes free in time. A request that fails later because the database is overloaded (no
 * connection in time, a lock that timed out) or because it could not get its turn back gets the same
 * 503, not a 500 with a stack trace.
 */
final class AdmissionFilter extends GateFilter {

    private final Admission admission;
    private final PlatformThreadWork work;
    private final OverloadLog overloadLog = new OverloadLog();

    AdmissionFilter(Admission admission, PlatformThreadWork work) {
        this.admission = admission;
        this.work = work;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admission.enter()) {
            overloadLog.busy("no admission turn in time");
            BusyResponses.write(request, response, admission.retryAfter());
            return;
        }
        try {
            work.run(() -> chain.doFilter(request, response));
        }
        catch (ServletException | IOException | RuntimeException failure) {
            if (!isOverload(failure) || response.isCommitted()) {
                throw failure;
            }
            overloadLog.busy(request.getMethod() + " " + request.getServletPath() + ": " + rootMessage(failure));
            response.reset();
            BusyResponses.write(request, response, admission.retryAfter());
        }
        finally {
            admission.leave(); // nothing to give back when a platform thread took the turn over and gave it back
        }
    }

    static boolean isOverload(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerOverloaded || cause instanceof CannotGetJdbcConnectionException
                    || cause instanceof TransientDataAccessException
                    || cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
