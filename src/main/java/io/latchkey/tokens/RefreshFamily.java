package io.latchkey.tokens;

import java.time.Instant;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/**
 * The refresh tokens of one sign-in form a family: each rotation replaces the token, and the family lives
 * as long as the authorization it belongs to. Its start is when the authorization was first stored, which
 * a stored authorization carries as a read-only attribute.
 */
public final class RefreshFamily {

    static final String STARTED_AT_ATTRIBUTE = RefreshFamily.class.getName() + ".STARTED_AT";

    private RefreshFamily() {
    }

    /** When the family began; {@code otherwise} for an authorization that has not been stored yet. */
    public static Instant startOf(OAuth2Authorization authorization, Instant otherwise) {
        if (authorization != null && authorization.getAttribute(STARTED_AT_ATTRIBUTE) instanceof Instant startedAt) {
            return startedAt;
        }
        return otherwise;
    }
}
