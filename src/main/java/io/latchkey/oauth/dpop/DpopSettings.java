package io.latchkey.oauth.dpop;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * DPoP (RFC 9449), under {@code latchkey.dpop}.
 *
 * @param proofMaxAge how old a proof's {@code iat} may be (and how far in the future, a fifth of it, for clocks
 *        that run ahead); also how long a used proof's {@code jti} is remembered
 * @param nonceWindow how long a server nonce stays current; the previous window's nonce is accepted too, so a
 *        nonce lives between one and two windows
 * @param requireNonce whether every proof must carry the server's current nonce (RFC 9449 sections 8 and 9)
 */
@ConfigurationProperties("latchkey.dpop")
public record DpopSettings(Duration proofMaxAge, Duration nonceWindow, Boolean requireNonce) {

    public DpopSettings {
        proofMaxAge = proofMaxAge == null ? Duration.ofSeconds(60) : proofMaxAge;
        nonceWindow = nonceWindow == null ? Duration.ofMinutes(5) : nonceWindow;
        requireNonce = requireNonce != null && requireNonce;
        // the framework checks a proof's iat once more, within 60 seconds either way: a longer age would not hold
        if (proofMaxAge.compareTo(Duration.ofSeconds(5)) < 0 || proofMaxAge.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("latchkey.dpop.proof-max-age must be between 5s and 60s");
        }
        if (nonceWindow.compareTo(Duration.ofSeconds(10)) < 0 || nonceWindow.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("latchkey.dpop.nonce-window must be between 10s and 1h");
        }
    }
}
