package io.latchkey.api;

import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import io.latchkey.account.AuthenticationLevel;
import io.latchkey.account.Passkeys;
import io.latchkey.account.SecondFactor;

/**
 * An admin operation needs a token from a sign-in with a second factor or a passkey ({@code acr}
 * {@link AuthenticationLevel#MFA} or better) when the admin has one: a stolen password alone must not administer
 * users. An admin with neither is not refused (the operation needs what they have; {@code latchkey.mfa.required-for-roles}
 * is how to make admins enrol). Checked with the permission, in {@link ApiAccessRules}; a refusal is
 * {@link InsufficientUserAuthenticationException}, answered 403 with the RFC 9470 challenge.
 */
@Component(AdminSignInStrength.BEAN)
class AdminSignInStrength {

    static final String BEAN = "adminSignInStrength";
    static final AuthenticationLevel NEEDED = AuthenticationLevel.MFA;

    private final SecondFactor secondFactor;
    private final Passkeys passkeys;

    AdminSignInStrength(SecondFactor secondFactor, Passkeys passkeys) {
        this.secondFactor = secondFactor;
        this.passkeys = passkeys;
    }

    /** True when the token's sign-in is strong enough; otherwise throws {@link InsufficientUserAuthenticationException}. */
    public boolean check(Authentication authentication) {
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            return false;
        }
        boolean strongEnough = AuthenticationLevel.ofAcr(token.getToken().getClaimAsString("acr"))
                .filter(level -> level.satisfies(NEEDED)).isPresent();
        if (strongEnough) {
            return true;
        }
        UUID user = UUID.fromString(token.getName());
        if (secondFactor.isEnrolled(user) || passkeys.hasPasskey(user)) {
            throw new InsufficientUserAuthenticationException(NEEDED);
        }
        return true;
    }
}
