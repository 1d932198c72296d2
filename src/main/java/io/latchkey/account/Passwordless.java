package io.latchkey.account;

import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * Whether an account has a password, and taking it away for good when its owner goes passwordless (they sign in with
 * a passkey; {@code io.latchkey.passkey} decides when that is allowed). A pending email change, which the password
 * may have asked for, is dropped with it; a password reset link still gives the account a password again.
 */
@Component
public class Passwordless {

    private final UserRepository users;
    private final AccountLinks links;

    Passwordless(UserRepository users, AccountLinks links) {
        this.users = users;
        this.links = links;
    }

    public boolean hasPassword(UUID userId) {
        return users.findById(userId).map(user -> user.passwordHash() != null).orElse(false);
    }

    public void removePassword(UUID userId) {
        links.invalidate(userId, Set.of(AccountLinks.Purpose.CHANGE_EMAIL));
        users.clearPassword(userId);
    }
}
