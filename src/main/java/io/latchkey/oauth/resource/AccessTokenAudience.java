package io.latchkey.oauth.resource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.stereotype.Component;

/**
 * The {@code aud} of an access token when the token request names resources (RFC 8707 section 2.2): the resources
 * it names. A code's tokens may only name resources the authorization request named (narrowing); a refresh only
 * resources of the grant it refreshes (downscoping); {@code client_credentials} and {@code password}, which have no
 * authorization step, any known resource. A token request that names none gets the resources of its authorization
 * request, and without those the audience {@code TokenAudience} decides. A token exchange's audience is its target,
 * checked by the exchange.
 */
@Component
public class AccessTokenAudience {

    private final ResourceIndicators resources;

    AccessTokenAudience(ResourceIndicators resources) {
        this.resources = resources;
    }

    /**
     * The audience of the access token being encoded; {@code byDefault} when no resource is involved.
     *
     * @throws org.springframework.security.oauth2.core.OAuth2AuthenticationException {@code invalid_target}
     */
    public List<String> of(JwtEncodingContext context, List<String> byDefault) {
        if (context.getAuthorizationGrant() instanceof OAuth2TokenExchangeAuthenticationToken exchange) {
            Set<String> target = new LinkedHashSet<>(exchange.getResources());
            target.addAll(exchange.getAudiences());
            return new ArrayList<>(target);
        }
        Set<String> requested = context.getAuthorizationGrant() instanceof OAuth2AuthorizationGrantAuthenticationToken grant
                ? resources.requested(grant.getAdditionalParameters().get(ResourceIndicators.PARAMETER))
                : Set.of();
        Set<String> authorized = authorizedAtAuthorizationEndpoint(context.getAuthorization());
        AuthorizationGrantType grantType = context.getAuthorizationGrantType();
        if (requested.isEmpty()) {
            return authorized.isEmpty() ? byDefault : new ArrayList<>(authorized);
        }
        Set<String> granted = new LinkedHashSet<>(authorized);
        if (AuthorizationGrantType.REFRESH_TOKEN.equals(grantType) && granted.isEmpty()) {
            granted.addAll(audienceOfCurrentToken(context.getAuthorization()));
        }
        boolean hasAuthorizationStep = AuthorizationGrantType.AUTHORIZATION_CODE.equals(grantType)
                || AuthorizationGrantType.REFRESH_TOKEN.equals(grantType);
        if (hasAuthorizationStep && !granted.containsAll(requested)) {
            throw ResourceIndicators.invalidTarget("resource was not granted with this authorization");
        }
        return new ArrayList<>(requested);
    }

    /** The resources the authorization request named, checked when it was made; empty for other grants. */
    private static Set<String> authorizedAtAuthorizationEndpoint(OAuth2Authorization authorization) {
        if (authorization == null
                || !(authorization.getAttribute(OAuth2AuthorizationRequest.class.getName())
                        instanceof OAuth2AuthorizationRequest request)) {
            return Set.of();
        }
        return ResourceIndicators.valuesOf(request.getAdditionalParameters().get(ResourceIndicators.PARAMETER));
    }

    private static Set<String> audienceOfCurrentToken(OAuth2Authorization authorization) {
        if (authorization == null) {
            return Set.of();
        }
        OAuth2Authorization.Token<OAuth2AccessToken> token = authorization.getAccessToken();
        if (token == null || token.getClaims() == null) {
            return Set.of();
        }
        return ResourceIndicators.valuesOf(token.getClaims().get("aud"));
    }
}
