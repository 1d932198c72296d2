package io.latchkey.oauth.refresh;

import java.time.Instant;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

import io.latchkey.tokens.AuthorizationStore;

/**
 * The refresh tokens of one sign-in form a family: each rotation replaces the token, and the family lives
 * as long as the authorization it belongs to. Its start is when the authorization was first stored, which
 * the authorization store hands back with every authorization it reads.
 */
final class RefreshFamily {

    private RefreshFamily() {
    }

    /** When the family began; {@code otherwise} for an authorization that has not been stored yet. */
    static Instant startOf(OAuth2Authorization authorization, Instant otherwise) {
        Instant firstStored = AuthorizationStore.firstStoredAt(authorization);
        return firstStored == null ? otherwise : firstStored;
    }
}
