package io.latchkey.database;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a failure of the database connection (refused, reset, timed out, server shutting down) from every
 * other database error. Only the former means "the database is unreachable": a constraint violation, a
 * lock timeout or a pool that is merely busy says nothing about it.
 */
public final class DatabaseFailures {

    /** SQLSTATE of PostgreSQL's shutdown and start-up refusals (class 57: operator intervention). */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");
    private static final int MAX_DEPTH = 32;

    private DatabaseFailures() {
    }

    /**
     * Whether {@code failure}, or anything it was caused by, is a lost or refused database connection:
     * SQLSTATE class 08 (connection exception), a server shutting down, or {@link DatabaseUnavailableException}.
     * A connection pool that timed out only because every connection was in use carries no such state and is
     * overload, not an outage.
     */
    public static boolean isConnectionFailure(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
            if (cause instanceof DatabaseUnavailableException) {
                return true;
            }
            if (cause instanceof SQLException sql
                    && (isConnectionState(sql.getSQLState()) || isClosedByThePool(sql))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        return false;
    }

    /**
     * HikariCP closes a connection it saw break (SQLSTATE 08...) and answers every later call on it, such as a
     * library's rollback after the failure, with a bare "Connection is closed" that hides the original error.
     */
    private static boolean isClosedByThePool(SQLException failure) {
        if (!"Connection is closed".equals(failure.getMessage())) {
            return false;
        }
        StackTraceElement[] frames = failure.getStackTrace();
        for (int i = 0; i < Math.min(3, frames.length); i++) {
            if (frames[i].getClassName().startsWith("com.zaxxer.hikari.pool.ProxyConnection")) {
                return true;
            }
        }
        return false;
    }

    static boolean isConnectionState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || SERVER_GOING_AWAY.contains(sqlState));
    }

    /** The innermost cause's type and message, for one log line without a stack trace. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < MAX_DEPTH; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
