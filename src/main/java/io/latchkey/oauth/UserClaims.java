package io.latchkey.oauth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;

import io.latchkey.account.UserAccount;
import io.latchkey.oauth.authorize.ClaimsRequest;

/**
 * Which user claims a set of granted scopes releases (OpenID Connect Core 5.4), plus Latchkey's roles with
 * the scope {@value #ROLES_SCOPE}, and what the {@code claims} parameter asked for (5.5).
 */
final class UserClaims {

    static final String ROLES = "roles";
    /** The scope that releases the claim {@value #ROLES}: which roles a user has is not every client's business. */
    static final String ROLES_SCOPE = "roles";

    private UserClaims() {
    }

    static Map<String, Object> releasedBy(Set<String> scopes, UserAccount user) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(StandardClaimNames.SUB, user.id().toString());
        if (scopes.contains(OidcScopes.EMAIL)) {
            claims.put(StandardClaimNames.EMAIL, user.email());
            claims.put(StandardClaimNames.EMAIL_VERIFIED, user.emailVerified());
        }
        if (scopes.contains(OidcScopes.PROFILE) && user.name() != null) {
            claims.put(StandardClaimNames.NAME, user.name());
        }
        if (scopes.contains(ROLES_SCOPE)) {
            claims.put(ROLES, sortedRoles(user));
        }
        return claims;
    }

    /**
     * The claims the scopes release, plus those the {@code claims} request parameter asked for by name
     * ({@link ClaimsRequest}); the user consented to those on the consent page, or the client needs no consent.
     */
    static Map<String, Object> releasedBy(Set<String> scopes, Set<String> requestedClaims, UserAccount user) {
        Map<String, Object> claims = releasedBy(scopes, user);
        if (requestedClaims.contains(StandardClaimNames.EMAIL)) {
            claims.put(StandardClaimNames.EMAIL, user.email());
        }
        if (requestedClaims.contains(StandardClaimNames.EMAIL_VERIFIED)) {
            claims.put(StandardClaimNames.EMAIL_VERIFIED, user.emailVerified());
        }
        if (requestedClaims.contains(StandardClaimNames.NAME) && user.name() != null) {
            claims.put(StandardClaimNames.NAME, user.name());
        }
        return claims;
    }

    /**
     * A plain {@link ArrayList}: token claims are stored with the authorization, and the store only reads
     * back collection types on its allow-list (not {@code List.of}).
     */
    static List<String> sortedRoles(UserAccount user) {
        return new ArrayList<>(new TreeSet<>(user.roles()));
    }
}
