package io.latchkey.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Which declared client secrets production mode refuses. A client secret is a machine's password that nobody has to
 * remember, so it should be long and random (for example {@code openssl rand -base64 32}). It is weak when it is
 * shorter than {@value #MIN_LENGTH} characters, when it has too little variety (fewer than {@value #MIN_DISTINCT}
 * different characters, or a shorter part repeated), when it contains one of the common passwords of at least
 * {@value #MIN_COMMON_LENGTH} characters (the list that user passwords are checked against) that are not made of hex
 * digits alone, or when it is or contains the client id. Common passwords such as {@code 12345678} or
 * {@code a1b2c3d4} are left out of the search because a random hex secret ({@code openssl rand -hex 16}) contains one
 * of the 2,300 of them by chance about once in 40 secrets, and production mode would refuse to start. A random secret of that length passes each rule with overwhelming probability (a random
 * hex string of 32 characters has fewer than 6 different characters with a probability below 10<sup>-12</sup>).
 * Messages never quote the secret, nor the part of it that is common.
 */
public final class WeakClientSecret {

    static final int MIN_LENGTH = 32;
    static final int MIN_DISTINCT = 6;
    static final int MIN_COMMON_LENGTH = 8;
    private static final java.util.regex.Pattern HEX_DIGITS_ONLY = java.util.regex.Pattern.compile("[0-9a-f]+");
    /** Shorter ids (a one-letter id, say) are found in random secrets by chance: only equality counts for them. */
    static final int MIN_ID_LENGTH_TO_CONTAIN = 4;
    private static final String COMMON_PASSWORDS = "account/common-passwords.txt";

    private final Set<String> common;
    private final int longestCommon;

    private WeakClientSecret(Set<String> common) {
        this.common = common;
        this.longestCommon = common.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * One sentence per declared confidential client ({@code latchkey.clients.<id>.secret}) whose secret is weak,
     * naming the property; empty when there is none.
     */
    public static List<String> problems(Environment environment) {
        Map<String, DeclaredSecret> declared = new TreeMap<>(Binder.get(environment)
                .bind("latchkey.clients", Bindable.mapOf(String.class, DeclaredSecret.class))
                .orElse(Map.of()));
        WeakClientSecret rule = load();
        List<String> problems = new ArrayList<>();
        declared.forEach((clientId, declaration) -> {
            if (declaration != null && declaration.secret() != null && !declaration.secret().isEmpty()) {
                rule.reason(clientId, declaration.secret()).ifPresent(reason -> problems.add("latchkey.clients."
                        + clientId + ".secret is weak: it " + reason + ". Use a long random secret, for example "
                        + "the output of 'openssl rand -base64 32'"));
            }
        });
        return problems;
    }

    /** Why {@code secret} is weak for {@code clientId}, as the end of a sentence "it ...", or empty when it is not. */
    Optional<String> reason(String clientId, String secret) {
        String lower = secret.toLowerCase(Locale.ROOT);
        String id = clientId.toLowerCase(Locale.ROOT);
        if (lower.equals(id) || (id.length() >= MIN_ID_LENGTH_TO_CONTAIN && lower.contains(id))) {
            return Optional.of("is or contains the client id");
        }
        if (secret.codePointCount(0, secret.length()) < MIN_LENGTH) {
            return Optional.of("is shorter than " + MIN_LENGTH + " characters");
        }
        if (secret.codePoints().distinct().count() < MIN_DISTINCT || repeatsAShorterPart(secret)) {
            return Optional.of("has too little variety (fewer than " + MIN_DISTINCT
                    + " different characters, or a shorter part repeated)");
        }
        if (containsCommonPassword(lower)) {
            return Optional.of("contains a common password");
        }
        return Optional.empty();
    }

    /** Whether the whole secret is one shorter string over and over ("abcabcabc", "abcabca"). */
    static boolean repeatsAShorterPart(String secret) {
        int length = secret.length();
        for (int period = 1; period <= length / 2; period++) {
            boolean repeats = true;
            for (int i = period; i < length && repeats; i++) {
                repeats = secret.charAt(i) == secret.charAt(i - period);
            }
            if (repeats) {
                return true;
            }
        }
        return false;
    }

    private boolean containsCommonPassword(String lower) {
        for (int start = 0; start + MIN_COMMON_LENGTH <= lower.length(); start++) {
            int longest = Math.min(lower.length(), start + longestCommon);
            for (int end = start + MIN_COMMON_LENGTH; end <= longest; end++) {
                if (common.contains(lower.substring(start, end))) {
                    return true;
                }
            }
        }
        return false;
    }

    static WeakClientSecret load() {
        Set<String> common = new HashSet<>();
        try (InputStream in = WeakClientSecret.class.getClassLoader().getResourceAsStream(COMMON_PASSWORDS)) {
            if (in == null) {
                throw new IllegalStateException("The bundled common password list " + COMMON_PASSWORDS + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String password = line.trim().toLowerCase(Locale.ROOT);
                if (password.length() >= MIN_COMMON_LENGTH && !HEX_DIGITS_ONLY.matcher(password).matches()) {
                    common.add(password);
                }
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read the bundled common password list", ex);
        }
        return new WeakClientSecret(Set.copyOf(common));
    }

    /** The one part of a client declaration this rule reads; the rest is checked by {@link ClientDefinition}. */
    record DeclaredSecret(String secret) {
    }
}
