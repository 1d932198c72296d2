package io.latchkey.oauth.dpop;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.latchkey.keys.TokenHasher;

/**
 * Server-provided DPoP nonces (RFC 9449 section 8), the same on every instance without shared state: the nonce
 * of a time window is the keyed hash of the window's number under the master key ({@link TokenHasher}). The
 * current and the previous window's nonces are accepted, so a nonce handed out just before a window ends still
 * works, and under every configured master key, so a key rotation does not break the nonces in flight.
 */
final class ServerNonces {

    private static final String PURPOSE = "dpop-nonce:";

    private final TokenHasher hasher;
    private final Clock clock;
    private final long windowMillis;

    ServerNonces(TokenHasher hasher, Clock clock, Duration window) {
        this.hasher = hasher;
        this.clock = clock;
        this.windowMillis = window.toMillis();
    }

    String current() {
        return hasher.hash(PURPOSE + window());
    }

    boolean accepts(String nonce) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > 128) {
            return false;
        }
        long window = window();
        for (long candidate : List.of(window, window - 1)) {
            if (hasher.candidateHashes(PURPOSE + candidate).contains(nonce)) {
                return true;
            }
        }
        return false;
    }

    private long window() {
        return clock.millis() / windowMillis;
    }
}
