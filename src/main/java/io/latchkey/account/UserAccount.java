package io.latchkey.account;

import java.util.Set;
import java.util.UUID;

/** What other capabilities may know about a user: never the password hash. */
public record UserAccount(UUID id, String email, boolean emailVerified, String name, boolean enabled,
        boolean locked, Set<String> roles) {
}
