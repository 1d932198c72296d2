package io.latchkey.account;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

/**
 * Looks users up by the subject identifier that tokens carry. The subject is the user's id, which
 * never changes, not the email, which may.
 */
@Service
public class UserDirectory {

    private final UserRepository users;

    UserDirectory(UserRepository users) {
        this.users = users;
    }

    public Optional<UserAccount> findBySubject(String subject) {
        UUID id;
        try {
            id = UUID.fromString(subject);
        }
        catch (IllegalArgumentException notAUserSubject) {
            return Optional.empty();
        }
        return users.findById(id).map(UserRepository.StoredUser::account);
    }
}
