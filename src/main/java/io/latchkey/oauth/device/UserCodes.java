package io.latchkey.oauth.device;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * User codes as RFC 8628 section 6.1 recommends: 8 characters of the 20 consonants {@code BCDFGHJKLMNPQRSTVWXZ}
 * (no vowels, so no words; no digits that look like letters), about 34 bits, shown as {@code XXXX-XXXX}. What a user
 * types is read case-insensitively, without the hyphen and spaces, and turned into that one spelling before it is
 * hashed and looked up: the store knows only hashes, so it must be the same spelling each time.
 */
final class UserCodes {

    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;
    /** Longer input is not a user code however it is spaced; it is refused before it is looked at closer. */
    private static final int MAX_INPUT = 64;

    private final SecureRandom random = new SecureRandom();

    /** A new user code, every character drawn uniformly (no modulo bias). */
    String next() {
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The code the user meant, spelt {@code XXXX-XXXX}; empty when the input cannot be a user code. */
    static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > MAX_INPUT) {
            return Optional.empty();
        }
        StringBuilder letters = new StringBuilder(LENGTH);
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '-' || c == ' ' || c == '\t') {
                continue;
            }
            char upper = Character.toUpperCase(c);
            if (upper > 'Z' || ALPHABET.indexOf(upper) < 0 || letters.length() == LENGTH) {
                return Optional.empty();
            }
            letters.append(upper);
        }
        if (letters.length() != LENGTH) {
            return Optional.empty();
        }
        return Optional.of(letters.substring(0, LENGTH / 2) + "-" + letters.substring(LENGTH / 2));
    }

    /** For showing a code back to the user (a prefilled field): its one spelling, or nothing. */
    static String displayable(String typed) {
        return normalize(typed).orElse("");
    }
}
