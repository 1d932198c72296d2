package io.latchkey.admin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.admin.*}: the admin console.
 *
 * @param freshSignIn how recent the admin's sign-in must be for a change in the console (creating, changing or
 *        deleting anything, rotating a secret or a key); an older one is asked to sign in again
 *        ({@code LATCHKEY_ADMIN_FRESH_SIGN_IN}), default 15 minutes
 */
@ConfigurationProperties("latchkey.admin")
public record AdminProperties(Duration freshSignIn) {

    public AdminProperties {
        freshSignIn = freshSignIn == null ? Duration.ofMinutes(15) : freshSignIn;
        if (freshSignIn.isNegative() || freshSignIn.isZero()) {
            throw new IllegalArgumentException("latchkey.admin.fresh-sign-in must be positive");
        }
    }
}
