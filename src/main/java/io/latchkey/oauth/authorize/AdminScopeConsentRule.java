package io.latchkey.oauth.authorize;

import java.util.Set;
import java.util.function.Predicate;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

import io.latchkey.oauth.ApiScopes;

/**
 * When the authorization endpoint shows the consent page: as the framework does (the client requires
 * consent, and asks for more than {@code openid} and more than the user allowed before), and in any case
 * before {@link ApiScopes#ADMIN} is first granted to a client, even one declared with
 * {@code require-consent: false}. Acting as an administrator is never granted without the user's say.
 */
final class AdminScopeConsentRule implements Predicate<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public boolean test(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        Set<String> requested = context.getAuthorizationRequest().getScopes();
        OAuth2AuthorizationConsent consent = context.getAuthorizationConsent();
        Set<String> allowed = consent == null ? Set.of() : consent.getScopes();
        if (requested.contains(ApiScopes.ADMIN) && !allowed.contains(ApiScopes.ADMIN)) {
            return true;
        }
        if (!context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()) {
            return false;
        }
        boolean openidOnly = requested.size() == 1 && requested.contains(OidcScopes.OPENID);
        return !openidOnly && !allowed.containsAll(requested);
    }
}
