package io.latchkey.account;

import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

import io.latchkey.audit.KnownAccounts;

/**
 * Signs users in by email and password. The resulting principal's name is the user id, so that the
 * {@code sub} of every token stays stable when the email changes. A lock after failed sign-ins is not part of
 * the user's details: whether it applies depends on the client ({@link PasswordSignIn}).
 */
@Service
class AccountUserDetailsService implements UserDetailsService, UserDetailsPasswordService, KnownAccounts {

    static final int MAX_EMAIL_LENGTH = 320;

    private final UserRepository users;

    AccountUserDetailsService(UserRepository users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String email) {
        if (!couldBeAnEmail(email)) {
            throw new UsernameNotFoundException("No such user");
        }
        UserRepository.StoredUser user = users.findByEmail(email)
                .filter(found -> found.passwordHash() != null)
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
        UserAccount account = user.account();
        return User.withUsername(account.id().toString())
                .password(user.passwordHash())
                .disabled(!account.enabled())
                .accountLocked(account.locked())
                .authorities(AuthorityUtils.createAuthorityList(
                        account.roles().stream().map(role -> "ROLE_" + role).toArray(String[]::new)))
                .build();
    }

    /** Any account, also one without a password: its email is what the audit may store for a failed sign-in. */
    @Override
    public Optional<String> emailOf(String typedUsername) {
        if (!couldBeAnEmail(typedUsername)) {
            return Optional.empty();
        }
        return users.findByEmail(typedUsername).map(user -> user.account().email());
    }

    /** Whether a typed username could be an account's email at all; anything else is looked up nowhere. */
    static boolean couldBeAnEmail(String username) {
        return username != null && !username.isBlank() && username.length() <= MAX_EMAIL_LENGTH
                && username.indexOf('\0') < 0;
    }

    /** Called after a successful login whose stored hash used a weaker encoding: stores the upgraded hash. */
    @Override
    public UserDetails updatePassword(UserDetails user, String newPassword) {
        users.updatePasswordHash(UUID.fromString(user.getUsername()), newPassword);
        return User.withUserDetails(user).password(newPassword).build();
    }
}
