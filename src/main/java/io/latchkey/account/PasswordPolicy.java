package io.latchkey.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import io.latchkey.crypto.BcryptLengthLimit;

/**
 * What a new password must be (NIST SP 800-63B 5.1.1.2): long enough, not the email address, not one of the
 * most common passwords. No composition rules. At most 72 bytes in UTF-8, the most bcrypt takes into account
 * ({@link BcryptLengthLimit}): 72 characters of plain ASCII, fewer with accents, other scripts or emoji. A
 * longer password would be hashed as its first 72 bytes, or (as Spring Security does) not at all.
 */
@Component
public class PasswordPolicy {

    static final int MAX_BYTES = BcryptLengthLimit.MAX_PASSWORD_BYTES;
    private static final String COMMON_PASSWORDS = "account/common-passwords.txt";

    private final int minLength;
    private final Set<String> common;

    @Autowired
    PasswordPolicy(RegistrationSettings settings) {
        this(settings.passwordMinLength());
    }

    PasswordPolicy(int minLength) {
        if (minLength < 8 || minLength > MAX_BYTES) {
            throw new IllegalStateException("latchkey.registration.password-min-length must be between 8 and " + MAX_BYTES);
        }
        this.minLength = minLength;
        this.common = load();
    }

    /** The message key of the first rule the password breaks, if any. */
    public Optional<String> violation(String password, String email) {
        if (password == null || password.isEmpty()) {
            return Optional.of("password.required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            return Optional.of("password.tooShort");
        }
        if (!BcryptLengthLimit.fits(password)) {
            return Optional.of("password.tooLong");
        }
        if (password.indexOf('\0') >= 0) {
            return Optional.of("password.invalidCharacters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (email != null && !email.isBlank()) {
            String normalizedEmail = email.trim().toLowerCase(Locale.ROOT);
            String localPart = normalizedEmail.contains("@") ? normalizedEmail.substring(0, normalizedEmail.indexOf('@'))
                    : normalizedEmail;
            if (lower.equals(normalizedEmail) || (localPart.length() >= 4 && lower.equals(localPart))) {
                return Optional.of("password.isEmail");
            }
        }
        if (common.contains(lower)) {
            return Optional.of("password.common");
        }
        return Optional.empty();
    }

    public int minLength() {
        return minLength;
    }

    int commonPasswordCount() {
        return common.size();
    }

    private static Set<String> load() {
        Set<String> passwords = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new ClassPathResource(COMMON_PASSWORDS).getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    passwords.add(line.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read the bundled common password list", ex);
        }
        return passwords;
    }
}
