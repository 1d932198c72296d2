package io.latchkey.account;

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
}
