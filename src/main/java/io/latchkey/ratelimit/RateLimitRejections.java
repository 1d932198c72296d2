package io.latchkey.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the requests a limit refused, as {@code latchkey_rate_limit_rejections_total}, labelled {@code limit}:
 * {@code sign_in_per_ip}, {@code mail_per_ip}, {@code mail_per_address}, {@code client_secret_per_ip} or
 * {@code client_secret_per_client}. Which IP, address or client was refused is in the log, never in a label.
 */
class RateLimitRejections {

    static final String METRIC = "latchkey.rate_limit.rejections";

    /** For a guard outside the application (tests): counts nothing. */
    static final RateLimitRejections NONE = new RateLimitRejections(null);

    private final MeterRegistry registry;

    RateLimitRejections(MeterRegistry registry) {
        this.registry = registry;
    }

    void rejected(String limit) {
        if (registry != null) {
            Counter.builder(METRIC).description("Requests refused by a rate limit, by limit").tag("limit", limit)
                    .register(registry).increment();
        }
    }
}
