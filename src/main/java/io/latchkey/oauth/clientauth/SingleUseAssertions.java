package io.latchkey.oauth.clientauth;

import java.time.Clock;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A client assertion is accepted once (RFC 7523 section 3 item 7): its {@code jti} is recorded for the client until
 * the assertion expires, on every instance at once ({@link UsedClientAssertions}); a second use is refused as
 * {@code invalid_client}. Runs only after the signature and every other claim were found right, so an attacker
 * cannot spend a client's {@code jti}s.
 */
final class SingleUseAssertions implements OAuth2TokenValidator<Jwt> {

    private final OAuth2TokenValidator<Jwt> claims;
    private final UsedClientAssertions used;
    private final String clientId;
    private final Clock clock;
    private final ClientAssertionProperties properties;

    SingleUseAssertions(OAuth2TokenValidator<Jwt> claims, UsedClientAssertions used, String clientId, Clock clock,
            ClientAssertionProperties properties) {
        this.claims = claims;
        this.used = used;
        this.clientId = clientId;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt assertion) {
        OAuth2TokenValidatorResult checked = claims.validate(assertion);
        if (checked.hasErrors()) {
            return checked;
        }
        // remembered past its exp by the skew that ClientAssertionClaims allows after exp
        Instant expiresAt = assertion.getExpiresAt();
        Instant now = clock.instant();
        Instant rememberUntil = (expiresAt.isAfter(now) ? expiresAt : now).plus(properties.clockSkew());
        if (!used.useOnce(clientId, assertion.getId(), rememberUntil)) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                    "the client assertion was used before", null));
        }
        return OAuth2TokenValidatorResult.success();
    }
}
