package io.latchkey.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * The ID token's {@code amr} claim (OpenID Connect Core section 2): the methods the user signed in with,
 * as the values registered by RFC 8176, read from the factors Spring Security records on the sign-in.
 */
final class AuthenticationMethods {

    private static final Map<String, String> RFC_8176_VALUES = Map.of(
            FactorGrantedAuthority.PASSWORD_AUTHORITY, "pwd",
            FactorGrantedAuthority.OTT_AUTHORITY, "otp",
            FactorGrantedAuthority.WEBAUTHN_AUTHORITY, "hwk",
            FactorGrantedAuthority.X509_AUTHORITY, "sc");

    private AuthenticationMethods() {
    }

    /** Sorted and without repeats; with two or more factors also {@code mfa}. Empty when none is known. */
    static List<String> of(Authentication principal) {
        TreeSet<String> methods = new TreeSet<>();
        int factors = 0;
        for (GrantedAuthority authority : principal.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority) {
                factors++;
                String value = RFC_8176_VALUES.get(authority.getAuthority());
                if (value != null) {
                    methods.add(value);
                }
            }
        }
        if (factors > 1) {
            methods.add("mfa");
        }
        return new ArrayList<>(methods);
    }
}
