package io.latchkey.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy(12);

    @Test
    void shipsAtLeastTenThousandCommonPasswords() {
        assertThat(policy.commonPasswordCount()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void acceptsLongUncommonPasswordsWithoutCompositionRules() {
        assertThat(policy.violation("correct horse battery staple", "ada@example.com")).isEmpty();
        assertThat(policy.violation("alllowercaseletters", "ada@example.com")).isEmpty();
        assertThat(policy.violation("\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9 passphrase \u2603", "ada@example.com")).isEmpty();
    }

    @Test
    void refusesWhatTheRulesSay() {
        assertThat(policy.violation("", "a@example.com")).contains("password.required");
        assertThat(policy.violation(null, "a@example.com")).contains("password.required");
        assertThat(policy.violation("short pass", "a@example.com")).contains("password.tooShort");
        assertThat(policy.violation("x".repeat(73), "a@example.com")).contains("password.tooLong");
        assertThat(policy.violation("x".repeat(72), "a@example.com")).isEmpty();
        assertThat(policy.violation("with a nul \u0000 inside", "a@example.com")).contains("password.invalidCharacters");
        assertThat(policy.violation("Ada.Lovelace@Example.com", "ada.lovelace@example.com")).contains("password.isEmail");
        assertThat(policy.violation("adalovelace1815", "adalovelace1815@example.com")).contains("password.isEmail");
        assertThat(policy.violation("password12345", "a@example.com")).contains("password.common");
        assertThat(policy.violation("PASSWORD12345", "a@example.com")).contains("password.common");
        assertThat(policy.violation("qwertyuiop123", "a@example.com")).contains("password.common");
    }

    @Test
    void countsCharactersNotBytes() {
        assertThat(new PasswordPolicy(8).violation("\uD83D\uDD11".repeat(8), "a@example.com")).isEmpty();
        assertThat(new PasswordPolicy(8).violation("\uD83D\uDD11".repeat(7), "a@example.com")).contains("password.tooShort");
    }

    @Test
    void atMostTheSeventyTwoBytesThatBcryptReads() {
        // 50 x é is 50 characters but 100 bytes in UTF-8: bcrypt would hash only the first 72
        assertThat(policy.violation("\u00e9".repeat(50), "a@example.com")).contains("password.tooLong");
        assertThat(policy.violation("\u00e9".repeat(36), "a@example.com")).isEmpty();
        assertThat(policy.violation("\u00e9".repeat(36) + "x", "a@example.com")).contains("password.tooLong");
        assertThat(policy.violation("\u6f22".repeat(24), "a@example.com")).isEmpty();
        assertThat(policy.violation("\u6f22".repeat(25), "a@example.com")).contains("password.tooLong");
        assertThat(policy.violation("\uD83D\uDD11".repeat(18), "a@example.com")).isEmpty();
        assertThat(policy.violation("\uD83D\uDD11".repeat(19), "a@example.com")).contains("password.tooLong");
    }

    @Test
    void minimumLengthIsBounded() {
        assertThatThrownBy(() -> new PasswordPolicy(4)).hasMessageContaining("password-min-length");
        assertThatThrownBy(() -> new PasswordPolicy(73)).hasMessageContaining("between 8 and 72");
        assertThat(new PasswordPolicy(72).minLength()).isEqualTo(72);
    }
}
