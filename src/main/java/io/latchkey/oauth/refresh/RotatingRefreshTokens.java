package io.latchkey.oauth.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Opaque refresh tokens (96 random bytes) for every client that has the {@code refresh_token} grant,
 * public clients of the code flow included: the framework's own generator leaves those out, but every
 * refresh token Latchkey issues rotates on use and a reused one revokes the whole login
 * ({@link RefreshTokenReuse}), which RFC 9700 section 4.14.2 sets as the condition for public clients.
 *
 * <p>A token lives for its client's {@code refresh-token-ttl}, but never past the start of its sign-in plus
 * {@code latchkey.tokens.refresh-family-max-lifetime} (ASVS V10.4.8): rotating does not extend a sign-in
 * forever, and a family past its end gets {@code invalid_grant}.
 */
final class RotatingRefreshTokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    private final StringKeyGenerator values = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 96);
    private final Clock clock;
    private final Duration familyMaxLifetime;

    RotatingRefreshTokens(Clock clock, Duration familyMaxLifetime) {
        this.clock = clock;
        this.familyMaxLifetime = familyMaxLifetime;
    }

    @Override
    public OAuth2RefreshToken generate(OAuth2TokenContext context) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
            return null;
        }
        Instant issuedAt = clock.instant();
        Instant familyEnds = RefreshFamily.startOf(context.getAuthorization(), issuedAt).plus(familyMaxLifetime);
        if (!familyEnds.isAfter(issuedAt)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "The sign-in has reached its longest lifetime; sign in again", null));
        }
        Instant expiresAt = issuedAt.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive());
        return new OAuth2RefreshToken(values.generateKey(), issuedAt,
                expiresAt.isAfter(familyEnds) ? familyEnds : expiresAt);
    }
}
