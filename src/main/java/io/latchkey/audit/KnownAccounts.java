package io.latchkey.audit;

import java.util.Optional;

/**
 * Tells the audit whether a username typed at a sign-in names an account. What people type into the
 * username field is sometimes their password (or a typo of someone else's address), so a failed sign-in
 * stores it only when it names an account. Implemented by the accounts, which the audit must not depend on.
 */
public interface KnownAccounts {

    /** The email of the account that signs in with this username, or empty for anything else. */
    Optional<String> emailOf(String typedUsername);
}
