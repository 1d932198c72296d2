package io.latchkey.oauth.authorize;

import java.util.Map;
import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/** A {@code claims} parameter must be readable ({@link ClaimsRequest}); a malformed one is {@code invalid_request}. */
final class ClaimsParameter implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        try {
            ClaimsRequest.parse(parameters(context).get(ClaimsRequest.PARAMETER));
        }
        catch (IllegalArgumentException malformed) {
            throw AuthorizationRequestErrors.error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OpenID Connect 1.0 Parameter: claims", context);
        }
    }

    private static Map<String, Object> parameters(
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        return request.getAdditionalParameters();
    }
}
