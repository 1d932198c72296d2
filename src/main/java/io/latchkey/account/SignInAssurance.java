package io.latchkey.account;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.security.core.Authentication;

/**
 * What tokens say about how the user signed in, derived from the sign-in's factors ({@link SignInFactors}):
 * {@code amr}, the methods as RFC 8176 registers them, and {@code acr}, the {@link AuthenticationLevel}.
 *
 * <ul>
 * <li>password: {@code pwd}</li>
 * <li>TOTP code: {@code otp}</li>
 * <li>recovery code: {@code otp} as well: it is a one-time password, printed instead of generated, and RFC 8176
 * has no closer value</li>
 * <li>passkey: {@code hwk}, a key bound to a device; {@code swk} instead when the passkey may be synced between
 * devices ({@link SignInFactors#SYNCED_PASSKEY})</li>
 * <li>{@code mfa} with more than one factor, or with a passkey (user verification makes it two: the device and
 * what unlocks it)</li>
 * </ul>
 */
public final class SignInAssurance {

    private SignInAssurance() {
    }

    /** The {@code amr} values of the sign-in, sorted and without repeats; empty when it carries no factor. */
    public static List<String> amr(Authentication authentication) {
        return amr(factorsAndMarkers(authentication));
    }

    /** The level of the sign-in; null when it carries no factor (nothing is known about how it was made). */
    public static AuthenticationLevel level(Authentication authentication) {
        return level(factorsAndMarkers(authentication));
    }

    /** The factors, and the synced-passkey marker whichever kind of authority carries it. */
    private static Set<String> factorsAndMarkers(Authentication authentication) {
        Set<String> factors = new HashSet<>(SignInFactors.of(authentication));
        if (authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> SignInFactors.SYNCED_PASSKEY.equals(authority.getAuthority()))) {
            factors.add(SignInFactors.SYNCED_PASSKEY);
        }
        return factors;
    }

    static List<String> amr(Set<String> factors) {
        TreeSet<String> methods = new TreeSet<>();
        int proved = 0;
        for (String factor : factors) {
            String method = switch (factor) {
                case SignInFactors.PASSWORD -> "pwd";
                case SignInFactors.TOTP, SignInFactors.RECOVERY_CODE -> "otp";
                case SignInFactors.PASSKEY -> factors.contains(SignInFactors.SYNCED_PASSKEY) ? "swk" : "hwk";
                default -> null;
            };
            if (method != null) {
                methods.add(method);
                proved++;
            }
        }
        if (proved > 1 || factors.contains(SignInFactors.PASSKEY)) {
            methods.add("mfa");
        }
        return new ArrayList<>(methods);
    }

    static AuthenticationLevel level(Set<String> factors) {
        if (factors.contains(SignInFactors.PASSKEY)) {
            return AuthenticationLevel.PHISHING_RESISTANT;
        }
        boolean code = factors.contains(SignInFactors.TOTP) || factors.contains(SignInFactors.RECOVERY_CODE);
        boolean password = factors.contains(SignInFactors.PASSWORD);
        if (code && password) {
            return AuthenticationLevel.MFA;
        }
        return code || password ? AuthenticationLevel.PASSWORD : null;
    }
}
