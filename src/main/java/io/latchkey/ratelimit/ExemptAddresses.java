package io.latchkey.ratelimit;

import java.util.List;

import io.latchkey.http.IpRanges;

/**
 * Client IPs to which the per-IP limits do not apply ({@code latchkey.rate-limit.exempt-addresses}, addresses or
 * CIDR ranges); the per-account limits still do.
 */
final class ExemptAddresses {

    private final IpRanges ranges;

    ExemptAddresses(List<String> entries) {
        this.ranges = IpRanges.parse(entries, "latchkey.rate-limit.exempt-addresses");
    }

    /** Whether per-IP limits skip this client IP. */
    boolean contains(String clientIp) {
        return !ranges.isEmpty() && ranges.contains(clientIp);
    }
}
