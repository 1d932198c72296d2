package io.latchkey.crypto;

import java.nio.charset.StandardCharsets;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * bcrypt reads at most 72 bytes of a password (UTF-8), and Spring Security's encoder refuses to hash a
 * longer one. Latchkey's password policy refuses such passwords wherever one is set, so no stored hash comes
 * from one; a longer password presented to be checked (at sign-in, as a current password, as a client
 * secret) is therefore wrong, and is answered as wrong without a hash, instead of being cut to its first 72
 * bytes and compared.
 */
public final class BcryptLengthLimit implements PasswordEncoder {

    public static final int MAX_PASSWORD_BYTES = 72;

    private final PasswordEncoder bcrypt;

    BcryptLengthLimit(PasswordEncoder bcrypt) {
        this.bcrypt = bcrypt;
    }

    /** Whether bcrypt takes the whole password into account. */
    public static boolean fits(CharSequence password) {
        return password.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        if (!fits(rawPassword)) {
            throw new IllegalArgumentException("A password of more than " + MAX_PASSWORD_BYTES
                    + " bytes cannot be hashed with bcrypt; the password policy must refuse it first");
        }
        return bcrypt.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        return rawPassword != null && fits(rawPassword) && bcrypt.matches(rawPassword, encodedPassword);
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return bcrypt.upgradeEncoding(encodedPassword);
    }
}
