package io.latchkey.account;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * The factors a sign-in proved, as Spring Security's {@link FactorGrantedAuthority} authorities on the
 * {@link Authentication}: the password step adds {@link #PASSWORD}, a passkey {@link #PASSKEY}, a TOTP code
 * {@link #TOTP} and a recovery code {@link #RECOVERY_CODE}. Each carries the time it was proved, so the
 * authentication time and step-up rules read them; {@code amr} and {@code acr} are derived from them.
 */
public final class SignInFactors {

    public static final String PASSWORD = FactorGrantedAuthority.PASSWORD_AUTHORITY;
    public static final String PASSKEY = FactorGrantedAuthority.WEBAUTHN_AUTHORITY;
    public static final String TOTP = "FACTOR_TOTP";
    public static final String RECOVERY_CODE = "FACTOR_RECOVERY_CODE";

    /**
     * Not a factor but a fact about the passkey used: it may be synced between devices (its backup-eligible flag
     * was set), so it is a software key ({@code amr} {@code swk}) rather than one bound to a device ({@code hwk}).
     */
    public static final String SYNCED_PASSKEY = "LATCHKEY_SYNCED_PASSKEY";

    private SignInFactors() {
    }

    /** The factor authorities the authentication carries. */
    public static Set<String> of(Authentication authentication) {
        if (authentication == null) {
            return Set.of();
        }
        return authentication.getAuthorities().stream()
                .filter(FactorGrantedAuthority.class::isInstance)
                .map(GrantedAuthority::getAuthority)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** When the sign-in last proved a factor (the newest factor's time); empty for an authentication without one. */
    public static java.util.Optional<java.time.Instant> newestAt(Authentication authentication) {
        if (authentication == null) {
            return java.util.Optional.empty();
        }
        return authentication.getAuthorities().stream()
                .filter(FactorGrantedAuthority.class::isInstance)
                .map(authority -> ((FactorGrantedAuthority) authority).getIssuedAt())
                .filter(java.util.Objects::nonNull)
                .max(java.time.Instant::compareTo);
    }

    /** Whether the sign-in proved more than a password: a passkey (with user verification), a code or a recovery code. */
    public static boolean beyondPassword(Authentication authentication) {
        Set<String> factors = of(authentication);
        return factors.contains(PASSKEY) || factors.contains(TOTP) || factors.contains(RECOVERY_CODE);
    }
}
