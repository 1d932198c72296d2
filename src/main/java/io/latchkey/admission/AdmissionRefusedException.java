package io.latchkey.admission;

import java.time.Duration;

/** No turn came free in time: the request is answered 503 with {@code Retry-After}. */
public class AdmissionRefusedException extends RuntimeException implements ServerOverloaded {

    private final transient Duration retryAfter;

    public AdmissionRefusedException(Duration retryAfter) {
        super("The server is busy", null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
