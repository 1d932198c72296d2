package io.latchkey.api;

import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import io.latchkey.account.UserAccount;
import io.latchkey.account.UserPage;

/** The JSON bodies the API returns. */
final class ApiResponses {

    private ApiResponses() {
    }

    /** The signed-in user, as {@code GET /api/v1/users/me} shows them. */
    record Me(UUID id, String email, boolean emailVerified, String name, List<String> roles) {

        static Me of(UserAccount user) {
            return new Me(user.id(), user.email(), user.emailVerified(), user.name(), sorted(user));
        }
    }

    /** A user as administrators see them. */
    record User(UUID id, String email, boolean emailVerified, String name, boolean enabled, boolean locked,
            List<String> roles) {

        static User of(UserAccount user) {
            return new User(user.id(), user.email(), user.emailVerified(), user.name(), user.enabled(), user.locked(),
                    sorted(user));
        }
    }

    record Users(List<User> items, int page, int size, long total) {

        static Users of(UserPage page) {
            return new Users(page.users().stream().map(User::of).toList(), page.page(), page.size(), page.total());
        }
    }

    record EmailVerified(boolean emailVerified) {
    }

    private static List<String> sorted(UserAccount user) {
        return List.copyOf(new TreeSet<>(user.roles()));
    }
}
