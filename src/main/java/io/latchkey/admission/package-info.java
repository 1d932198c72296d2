/**
 * Bounded admission: how many requests work on the database at once, how long the others wait, and the
 * fast 503 with {@code Retry-After} they get beyond that, in each endpoint's own format.
 */
package io.latchkey.admission;
