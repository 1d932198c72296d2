package io.latchkey.keys;

import java.time.Instant;

/** A row of {@code signing_keys}: public JWK in clear, private JWK sealed with the master key. */
record StoredSigningKey(String kid, String algorithm, String publicJwk, String privateJwkEncrypted,
        Instant createdAt, Instant retiredAt, Instant publishedUntil) {

    boolean isActive() {
        return retiredAt == null;
    }
}
