package io.latchkey.api;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import io.latchkey.account.AccountService;
import io.latchkey.account.Permissions;
import io.latchkey.account.UserAccount;

/**
 * Turns a verified access token into the API's authentication: the token's {@code sub} must be an
 * existing, enabled, unlocked user, and the authorities are that user's current permissions
 * ({@code PERM_users:read}, ...) and roles ({@code ROLE_admin}, ...), read from the database on every request, so a
 * change of roles applies at once, not when the token expires. The token itself must still be active in the
 * authorization store (not revoked by a sign-out, a password reset or refresh-token reuse). Tokens without a user
 * ({@code client_credentials}) are refused.
 */
@Component
class ApiTokenAuthentication implements Converter<Jwt, AbstractAuthenticationToken> {

    static final String PERMISSION_PREFIX = "PERM_";

    private final AccountService accounts;
    private final Permissions permissions;
    private final OAuth2AuthorizationService authorizations;

    ApiTokenAuthentication(AccountService accounts, Permissions permissions, OAuth2AuthorizationService authorizations) {
        this.accounts = accounts;
        this.permissions = permissions;
        this.authorizations = authorizations;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        OAuth2Authorization authorization = authorizations.findByToken(jwt.getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
        if (authorization == null || authorization.getAccessToken() == null || !authorization.getAccessToken().isActive()) {
            throw new InvalidBearerTokenException("The token was revoked or has expired");
        }
        UserAccount user = userOf(jwt.getSubject());
        if (user == null || !user.enabled() || user.locked()) {
            throw new InvalidBearerTokenException("The token does not belong to an active user");
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        permissions.of(user.id()).forEach(permission -> authorities.add(new SimpleGrantedAuthority(PERMISSION_PREFIX + permission)));
        user.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        return new JwtAuthenticationToken(jwt, authorities, user.id().toString());
    }

    private UserAccount userOf(String subject) {
        if (subject == null) {
            return null;
        }
        try {
            return accounts.find(UUID.fromString(subject)).orElse(null);
        }
        catch (IllegalArgumentException notAUser) {
            return null;
        }
    }
}
