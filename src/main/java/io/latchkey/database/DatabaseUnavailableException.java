package io.latchkey.database;

/**
 * The database cannot be reached. Wherever it escapes a request, the answer is 503 with {@code Retry-After}
 * in the endpoint's format (see {@link DatabaseOutageFilter}). Code that would otherwise turn a connection
 * failure into a wrong answer (a failed sign-in, say) throws this instead.
 */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(Throwable cause) {
        super("The database is unreachable", cause, false, false);
    }
}
