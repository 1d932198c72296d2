package io.latchkey.oauth.clientauth;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims of a client assertion (RFC 7523 section 3, OpenID Connect Core 9): {@code iss} and {@code sub} are the
 * client's id, {@code aud} names this server (its issuer or its token endpoint), {@code exp} is present, not past
 * and at most {@code max-lifetime} ahead, {@code iat} and {@code nbf} (when present) are not in the future, and
 * there is a {@code jti} (single use is {@link SingleUseAssertions}). Every bound allows {@code clock-skew}.
 */
final class ClientAssertionClaims implements OAuth2TokenValidator<Jwt> {

    private final String clientId;
    private final List<String> audiences;
    private final Clock clock;
    private final ClientAssertionProperties properties;

    ClientAssertionClaims(String clientId, List<String> audiences, Clock clock, ClientAssertionProperties properties) {
        this.clientId = clientId;
        this.audiences = audiences;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt assertion) {
        String problem = problemWith(assertion);
        return problem == null ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, problem, null));
    }

    private String problemWith(Jwt assertion) {
        Instant now = clock.instant();
        if (!clientId.equals(assertion.getClaimAsString("iss"))) {
            return "iss must be the client_id";
        }
        if (!clientId.equals(assertion.getSubject())) {
            return "sub must be the client_id";
        }
        List<String> audience = assertion.getAudience();
        if (audience == null || audience.stream().noneMatch(audiences::contains)) {
            return "aud must name the issuer or the token endpoint";
        }
        Instant expiresAt = assertion.getExpiresAt();
        if (expiresAt == null) {
            return "exp is required";
        }
        if (expiresAt.isBefore(now.minus(properties.clockSkew()))) {
            return "the assertion has expired";
        }
        if (expiresAt.isAfter(now.plus(properties.maxLifetime()).plus(properties.clockSkew()))) {
            return "exp must be at most " + properties.maxLifetime() + " ahead";
        }
        Instant latest = now.plus(properties.clockSkew());
        if (assertion.getIssuedAt() != null && assertion.getIssuedAt().isAfter(latest)) {
            return "iat is in the future";
        }
        if (assertion.getNotBefore() != null && assertion.getNotBefore().isAfter(latest)) {
            return "nbf is in the future";
        }
        String jti = assertion.getId();
        if (jti == null || jti.isBlank() || jti.length() > 256) {
            return "jti is required (at most 256 characters)";
        }
        return null;
    }
}
