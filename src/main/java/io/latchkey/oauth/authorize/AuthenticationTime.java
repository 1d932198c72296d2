package io.latchkey.oauth.authorize;

import java.time.Instant;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/** When the user last proved who they are: the newest factor (password, passkey, ...) they presented. */
public final class AuthenticationTime {

    private AuthenticationTime() {
    }

    /** The time of the newest factor; null when the principal carries none. */
    public static Instant of(Authentication principal) {
        Instant newest = null;
        for (GrantedAuthority authority : principal.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority factor
                    && (newest == null || factor.getIssuedAt().isAfter(newest))) {
                newest = factor.getIssuedAt();
            }
        }
        return newest;
    }

    /** Whether the authorization request's principal is a signed-in user (not nobody, not anonymous). */
    static boolean isSignedIn(Object principal) {
        return principal instanceof Authentication authentication && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }
}
