package io.latchkey.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the rest of the server needs to know about a user's passkeys; implemented by {@code io.latchkey.passkey}. */
public interface Passkeys {

    /** Whether the user has at least one registered passkey. */
    boolean hasPasskey(UUID userId);

    /**
     * Whether a page may offer the user a passkey sign-in now: they have a passkey and passkeys are on (an issuer
     * reached by IP address has none, see the passkeys chapter).
     */
    default boolean canSignInWithPasskey(UUID userId) {
        return hasPasskey(userId);
    }

    /** The user's passkeys, oldest first, as an administrator sees them (never a key, only its id and name). */
    List<PasskeySummary> passkeysOf(UUID userId);

    /**
     * An administrator's deletion of one of the user's passkeys. As for the owner, the last passkey of an account
     * without a password stays (nobody could sign in to it); the owner is mailed about the deletion.
     */
    Deletion deleteForAdministrator(UUID userId, String credentialId);

    /** What an administrator's deletion did. */
    enum Deletion {
        DELETED, NOT_FOUND, LAST_PASSKEY_OF_PASSWORDLESS_ACCOUNT
    }

    /**
     * One passkey. {@code id} is the credential id, base64url: public (the browser sends it with every sign-in), and
     * what names the passkey in a deletion.
     */
    record PasskeySummary(String id, String name, boolean synced, Instant createdAt, Instant lastUsedAt) {
    }
}
