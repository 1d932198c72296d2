package io.latchkey.admin;

import org.springframework.security.access.AccessDeniedException;

/**
 * The admin may use the page, but not with this sign-in: it proved only a password while the admin has a second
 * factor or a passkey, or it is too old for a change. {@link AdminConsoleAdvice} sends the browser to the step that
 * makes it strong enough, and back.
 */
final class StrongerSignInNeeded extends AccessDeniedException {

    enum Step {
        /** A second factor or a passkey, on top of the session's password. */
        SECOND_FACTOR("/login/second-factor"),
        /** Signing in again: the session's newest factor is older than {@code latchkey.admin.fresh-sign-in}. */
        FRESH_SIGN_IN("/login");

        final String path;

        Step(String path) {
            this.path = path;
        }
    }

    private final Step step;

    StrongerSignInNeeded(Step step) {
        super("The admin console needs a stronger sign-in: " + step);
        this.step = step;
    }

    Step step() {
        return step;
    }
}
