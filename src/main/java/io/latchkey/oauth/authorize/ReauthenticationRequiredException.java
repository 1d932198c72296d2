package io.latchkey.oauth.authorize;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * Not an error for the client: the user must sign in again, then the same request continues
 * ({@link AuthorizationResponder} sends the browser to the login page).
 */
final class ReauthenticationRequiredException extends OAuth2AuthorizationCodeRequestAuthenticationException {

    ReauthenticationRequiredException(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        super(new OAuth2Error("login_required", "Sign in again", null), request);
    }
}
