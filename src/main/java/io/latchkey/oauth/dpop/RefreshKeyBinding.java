package io.latchkey.oauth.dpop;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

/**
 * The framework's refresh grant compares a public client's proof with the key its last access token was bound
 * to, and refuses another key as {@code invalid_dpop_proof}. The proof itself has passed {@link ProofChecks} by
 * then, so what is wrong is the grant, bound to another key: RFC 9449 section 5 makes that {@code invalid_grant}.
 */
final class RefreshKeyBinding implements AuthenticationProvider {

    private final AuthenticationProvider refreshGrant;

    RefreshKeyBinding(AuthenticationProvider refreshGrant) {
        this.refreshGrant = refreshGrant;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        try {
            return refreshGrant.authenticate(authentication);
        }
        catch (OAuth2AuthenticationException refused) {
            if (ProofRefused.INVALID_DPOP_PROOF.equals(refused.getError().getErrorCode())
                    && authentication.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                    && ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "The refresh token is DPoP-bound to another key", null), refused);
            }
            throw refused;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return refreshGrant.supports(authentication);
    }
}
