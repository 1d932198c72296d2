package io.latchkey.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;

import io.latchkey.account.UserDirectory;
import io.latchkey.oauth.authorize.ClaimsRequest;

/**
 * The userinfo response: the user's current claims, as released by the access token's scopes and the
 * {@code userinfo} member of the authorization's {@code claims} request parameter ({@link ClaimsRequest}), with the
 * {@code sub} the client sees in its ID tokens ({@link SubjectIdentifiers}; OpenID Connect Core 5.3.2 wants them equal).
 */
class UserInfoClaims implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

    private final UserDirectory users;
    private final RegisteredClientRepository clients;
    private final SubjectIdentifiers subjects;

    UserInfoClaims(UserDirectory users, RegisteredClientRepository clients, SubjectIdentifiers subjects) {
        this.users = users;
        this.clients = clients;
        this.subjects = subjects;
    }

    @Override
    public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        OAuth2AccessToken accessToken = context.getAccessToken();
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        return users.findBySubject(authorization.getPrincipalName())
                .map(user -> {
                    Map<String, Object> claims = new LinkedHashMap<>(UserClaims.releasedBy(accessToken.getScopes(),
                            ClaimsRequest.of(authorization).userinfo(), user));
                    if (client != null) {
                        claims.put(StandardClaimNames.SUB, subjects.forClient(client, authorization.getPrincipalName()));
                    }
                    return new OidcUserInfo(claims);
                })
                .orElseThrow(() -> new org.springframework.security.oauth2.core.OAuth2AuthenticationException(
                        org.springframework.security.oauth2.core.OAuth2ErrorCodes.INVALID_TOKEN));
    }
}
