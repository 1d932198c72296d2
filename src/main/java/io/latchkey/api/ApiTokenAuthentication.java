package io.latchkey.api;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.stereotype.Component;

import io.latchkey.account.Permissions;
import io.latchkey.account.UserAccount;
import io.latchkey.account.UserDirectory;
import io.latchkey.oauth.TokenAudience;

/**
 * Turns a verified access token into the API's authentication. The token must be meant for the API: its
 * {@code aud} holds the API's audience ({@link TokenAudience#api()}); a token a client got for itself is
 * refused, whoever its user is. It must still be active in the authorization store (not revoked by a sign-out,
 * a password reset or refresh-token reuse), and its {@code sub} must be an existing, enabled, unlocked user.
 * Tokens without a user ({@code client_credentials}) are refused.
 *
 * <p>The authorities are the token's scopes ({@code SCOPE_latchkey.admin}, ...),
 * {@value ApiAccessRules#FIRST_PARTY_CLIENT} for a token of the first-party API client, and the user's current
 * permissions ({@code PERM_users:read}, ...) and roles ({@code ROLE_admin}, ...), read from the database on every
 * request, so a change of roles applies at once, not when the token expires. {@link ApiAccessRules} combines them.
 */
@Component
class ApiTokenAuthentication implements Converter<Jwt, AbstractAuthenticationToken> {

    static final String PERMISSION_PREFIX = "PERM_";

    private final UserDirectory users;
    private final Permissions permissions;
    private final OAuth2AuthorizationService authorizations;
    private final TokenAudience audience;
    private final JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();

    ApiTokenAuthentication(UserDirectory users, Permissions permissions, OAuth2AuthorizationService authorizations,
            TokenAudience audience) {
        this.users = users;
        this.permissions = permissions;
        this.authorizations = authorizations;
        this.audience = audience;
        scopes.setAuthorityPrefix(ApiAccessRules.SCOPE_PREFIX);
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        if (jwt.getAudience() == null || !jwt.getAudience().contains(audience.api())) {
            throw new InvalidBearerTokenException("The token is not meant for this API");
        }
        OAuth2Authorization authorization = authorizations.findByToken(jwt.getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
        if (authorization == null || authorization.getAccessToken() == null || !authorization.getAccessToken().isActive()) {
            throw new InvalidBearerTokenException("The token was revoked or has expired");
        }
        UserAccount user = jwt.getSubject() == null ? null : users.findBySubject(jwt.getSubject()).orElse(null);
        if (user == null || !user.enabled() || user.locked()) {
            throw new InvalidBearerTokenException("The token does not belong to an active user");
        }
        List<GrantedAuthority> authorities = new ArrayList<>(scopes.convert(jwt));
        if (audience.isFirstPartyApiClient(jwt.getClaimAsString("client_id"))) {
            authorities.add(new SimpleGrantedAuthority(ApiAccessRules.FIRST_PARTY_CLIENT));
        }
        permissions.of(user.id()).forEach(permission -> authorities.add(new SimpleGrantedAuthority(PERMISSION_PREFIX + permission)));
        user.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        return new JwtAuthenticationToken(jwt, authorities, user.id().toString());
    }
}
