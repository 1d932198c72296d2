package io.latchkey.http;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The client IP of a request, as rate limits, audit records, sign-in details and logs see it. It is the TCP peer's
 * address, unless the peer is one of {@code latchkey.rate-limit.trusted-proxies}: then it is the rightmost
 * {@code X-Forwarded-For} entry that is not a trusted proxy itself. A client can put anything into {@code X-Forwarded-For}; only the entries added by trusted
 * proxies (the rightmost ones) are believed.
 */
@Component
@EnableConfigurationProperties(TrustedProxySettings.class)
public class ClientAddresses {

    /** At most this many X-Forwarded-For entries are looked at, from the right. */
    static final int MAX_HOPS = 20;

    private final IpRanges trustedProxies;

    ClientAddresses(TrustedProxySettings settings) {
        this.trustedProxies = IpRanges.parse(settings.trustedProxies(), "latchkey.rate-limit.trusted-proxies");
    }

    /** The client IP of the request, in canonical form. */
    public String clientIp(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        String current = IpRanges.canonical(peer);
        if (current == null) {
            return peer == null ? "unknown" : peer;
        }
        if (trustedProxies.isEmpty() || !trustedProxies.contains(current)) {
            return current;
        }
        var headers = request.getHeaders("X-Forwarded-For");
        java.util.List<String> hops = new java.util.ArrayList<>();
        while (headers != null && headers.hasMoreElements()) {
            String header = headers.nextElement();
            // null for a header Tomcat could not finish parsing (one past the size limit, answered 400)
            for (String hop : header == null ? new String[] { "" } : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            String hop = IpRanges.canonical(hops.get(i));
            if (hop == null) {
                return current; // garbage: the last address we can vouch for is the proxy that passed it on
            }
            current = hop;
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return current;
    }

    /** {@code latchkey.rate-limit.trusted-proxies}, parsed. */
    IpRanges trustedProxies() {
        return trustedProxies;
    }
}
