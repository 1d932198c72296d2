package io.latchkey.oauth.authorize;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

/**
 * Claims asked for with the {@code claims} parameter ({@link ClaimsRequest}) are released only with the user's
 * consent: a client that requires consent shows the consent page (which lists them) whenever they ask for a claim
 * the scopes the user allowed before do not already release. That consent is not remembered apart from the
 * scopes, so such a request shows the page each time.
 */
final class RequestedClaimsConsentRule implements Predicate<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    /** The scope that releases each claim Latchkey releases on request (OpenID Connect Core 5.4). */
    private static final Map<String, String> SCOPE_OF = Map.of("email", OidcScopes.EMAIL,
            "email_verified", OidcScopes.EMAIL, "name", OidcScopes.PROFILE);

    @Override
    public boolean test(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (!context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()) {
            return false;
        }
        OAuth2AuthorizationConsent consent = context.getAuthorizationConsent();
        Set<String> allowed = consent == null ? Set.of() : consent.getScopes();
        return ClaimsRequest.ofParameters(context.getAuthorizationRequest().getAdditionalParameters()).all().stream()
                .anyMatch(claim -> !allowed.contains(SCOPE_OF.get(claim)));
    }
}
