package io.latchkey.oauth.resource;

import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

import io.latchkey.oauth.authorize.AuthorizationRequestErrors;

/**
 * The {@code resource} parameters of an authorization request (RFC 8707 section 2) must name resources Latchkey
 * knows ({@link ResourceIndicators}); otherwise the client gets {@code invalid_target} at its redirect URI. Runs
 * after the redirect URI is verified.
 */
public final class ResourceAtAuthorization implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final ResourceIndicators resources;

    public ResourceAtAuthorization(ResourceIndicators resources) {
        this.resources = resources;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        try {
            OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
            resources.requested(request.getAdditionalParameters().get(ResourceIndicators.PARAMETER));
        }
        catch (OAuth2AuthenticationException refused) {
            throw AuthorizationRequestErrors.error(ResourceIndicators.INVALID_TARGET,
                    refused.getError().getDescription(), context);
        }
    }
}
