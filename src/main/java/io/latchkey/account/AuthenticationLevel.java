package io.latchkey.account;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How strongly a sign-in proved the user, as the {@code acr} (authentication context class reference) Latchkey
 * puts in tokens and takes in {@code acr_values}. Ordered weakest first; a stronger level satisfies a request for a
 * weaker one. A passkey is phishing-resistant (it is bound to the relying party's origin) and also counts as more
 * than one factor (something held, unlocked by something known or by a biometric: WebAuthn user verification).
 */
public enum AuthenticationLevel {

    /** One factor: a password (or, in principle, a code alone). */
    PASSWORD("urn:latchkey:acr:password"),
    /** A password and a second factor: a TOTP code or a recovery code. */
    MFA("urn:latchkey:acr:mfa"),
    /** A passkey (with user verification), alone or with other factors. */
    PHISHING_RESISTANT("urn:latchkey:acr:phishing-resistant");

    private final String acr;

    AuthenticationLevel(String acr) {
        this.acr = acr;
    }

    /** The {@code acr} value. */
    public String acr() {
        return acr;
    }

    /** Whether a sign-in at this level is enough where {@code required} is asked for. */
    public boolean satisfies(AuthenticationLevel required) {
        return compareTo(required) >= 0;
    }

    /** The level an {@code acr} value names; empty for a value Latchkey does not know. */
    public static Optional<AuthenticationLevel> ofAcr(String acr) {
        return Arrays.stream(values()).filter(level -> level.acr.equals(acr)).findFirst();
    }

    /** Every {@code acr} value, weakest first: discovery's {@code acr_values_supported}. */
    public static List<String> acrValues() {
        return Arrays.stream(values()).map(AuthenticationLevel::acr).toList();
    }
}
