package io.latchkey.oauth.authorize;

import java.time.Duration;
import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * {@code max_age} (OpenID Connect Core 3.1.2.1) must be a number of seconds, zero or more; anything else is
 * {@code invalid_request}. What it asks for is {@link SessionFreshness}'s business.
 */
final class MaxAge implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        of(context);
    }

    /** The maximum age the request allows for the sign-in; null when it sets none. */
    static Duration of(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String value = (String) request.getAdditionalParameters().get("max_age");
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        }
        catch (NumberFormatException ex) {
            throw AuthorizationRequestErrors.error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OpenID Connect 1.0 Parameter: max_age", context);
        }
    }
}
