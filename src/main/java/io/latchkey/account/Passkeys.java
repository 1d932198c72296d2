package io.latchkey.account;

import java.util.UUID;

/** What the rest of the server needs to know about a user's passkeys; implemented by {@code io.latchkey.passkey}. */
public interface Passkeys {

    /** Whether the user has at least one registered passkey. */
    boolean hasPasskey(UUID userId);
}
