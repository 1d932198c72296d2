package io.latchkey.admission;

/**
 * Marks an exception that means "the server is overloaded", not "the request is wrong": wherever it
 * escapes a request, the answer is 503 with {@code Retry-After} in the endpoint's format, never a 500.
 */
public interface ServerOverloaded {
}
