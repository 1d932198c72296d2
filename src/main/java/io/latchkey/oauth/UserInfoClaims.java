package io.latchkey.oauth;

import java.util.function.Function;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;

import io.latchkey.account.UserDirectory;
import io.latchkey.oauth.authorize.ClaimsRequest;

/**
 * The userinfo response: the user's current claims, as released by the access token's scopes and the
 * {@code userinfo} member of the authorization's {@code claims} request parameter ({@link ClaimsRequest}).
 */
class UserInfoClaims implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

    private final UserDirectory users;

    UserInfoClaims(UserDirectory users) {
        this.users = users;
    }

    @Override
    public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        OAuth2AccessToken accessToken = context.getAccessToken();
        return users.findBySubject(authorization.getPrincipalName())
                .map(user -> new OidcUserInfo(UserClaims.releasedBy(accessToken.getScopes(),
                        ClaimsRequest.of(authorization).userinfo(), user)))
                .orElseThrow(() -> new org.springframework.security.oauth2.core.OAuth2AuthenticationException(
                        org.springframework.security.oauth2.core.OAuth2ErrorCodes.INVALID_TOKEN));
    }
}
