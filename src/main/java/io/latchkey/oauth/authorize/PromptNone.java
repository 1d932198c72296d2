package io.latchkey.oauth.authorize;

import java.util.function.Consumer;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

/**
 * {@code prompt=none} never shows a login page (OpenID Connect Core 3.1.2.1): without a signed-in user the
 * client gets {@code login_required}. A sign-in too old for the request is {@link SessionFreshness}'s case.
 */
final class PromptNone implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (Prompt.of(context.getAuthentication()).none()
                && !AuthenticationTime.isSignedIn(context.getAuthentication().getPrincipal())) {
            throw AuthorizationRequestErrors.error("login_required", "The user is not signed in", context);
        }
    }
}
