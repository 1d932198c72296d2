package io.latchkey.keys;

import java.time.Duration;
import java.time.Instant;

/**
 * What an administrator may know of a signing key: its id, algorithm and dates. Never any part of the private
 * key, nor the sealed form of it.
 *
 * @param retiredAt when it stopped signing; null for the active key
 * @param publishedUntil until when a retired key stays in the JWKS; null for the active key
 */
public record SigningKeyInfo(String kid, String algorithm, Instant createdAt, Instant retiredAt,
        Instant publishedUntil) {

    public enum Status {
        /** Signs new tokens, and is published. */
        ACTIVE,
        /** Signs nothing more, and stays published until {@code publishedUntil}. */
        PUBLISHED,
        /** Signs nothing, and is no longer published; deleted at the next rotation check. */
        RETIRED
    }

    public Status status(Instant now) {
        if (retiredAt == null) {
            return Status.ACTIVE;
        }
        return publishedUntil != null && publishedUntil.isAfter(now) ? Status.PUBLISHED : Status.RETIRED;
    }

    /** How long since it was created. */
    public Duration age(Instant now) {
        Duration age = Duration.between(createdAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
