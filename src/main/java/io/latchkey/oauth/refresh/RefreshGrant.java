package io.latchkey.oauth.refresh;

import java.time.Clock;
import java.time.Duration;

import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import io.latchkey.audit.AuditLog;
import io.latchkey.tokens.AuthorizationStore;

/**
 * The refresh token grant (RFC 6749 section 6). The framework answers it; Latchkey's rules around it live here:
 * refresh tokens rotate on every use within a family of bounded lifetime ({@link RotatingRefreshTokens},
 * {@link RefreshFamily}), and a replaced one presented again revokes the whole login ({@link RefreshTokenReuse}).
 */
public final class RefreshGrant {

    private RefreshGrant() {
    }

    /** Issues the refresh tokens of every grant that issues one. */
    public static OAuth2TokenGenerator<OAuth2RefreshToken> rotatingTokens(Clock clock, Duration familyMaxLifetime) {
        return new RotatingRefreshTokens(clock, familyMaxLifetime);
    }

    /** {@code store}, with reuse detection on every token lookup: what the token endpoint and the API must use. */
    public static OAuth2AuthorizationService detectingReuse(AuthorizationStore store, AuditLog audit) {
        return new ReuseDetectingAuthorizationService(store, new RefreshTokenReuse(store, audit));
    }
}
