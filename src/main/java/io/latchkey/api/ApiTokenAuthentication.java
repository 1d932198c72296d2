package io.latchkey.api;

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
 * change of roles applies at once, not when the token expires. Tokens without a user ({@code client_credentials})
 * are refused.
 */
@Component
class ApiTokenAuthentication implements Converter<Jwt, AbstractAuthenticationToken> {

    static final String PERMISSION_PREFIX = "PERM_";

    private final AccountService accounts;
    private final Permissions permissions;

    ApiTokenAuthentication(AccountService accounts, Permissions permissions) {
        this.accounts = accounts;
        this.permissions = permissions;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
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
