package io.latchkey.client;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What production mode calls a weak client secret, and that generated secrets are never called weak. */
class WeakClientSecretTest {

    private static final WeakClientSecret RULE = WeakClientSecret.load();
    private final SecureRandom random = new SecureRandom();

    @Test
    void weakSecretsAreNamedWithTheirReason() {
        assertThat(RULE.reason("billing", "Q7x-short-but-random-2b9")).contains("is shorter than 32 characters");
        assertThat(RULE.reason("billing", "a".repeat(40))).hasValueSatisfying(r -> assertThat(r).contains("variety"));
        assertThat(RULE.reason("billing", "ab12".repeat(10))).hasValueSatisfying(r -> assertThat(r).contains("variety"));
        assertThat(RULE.reason("billing", "aabbccaabbccaabbccaabbccaabbccaabbc")).isPresent();
        assertThat(RULE.reason("billing", "Zq9#-Manchester-United-Forever-#1x")).contains("contains a common password");
        assertThat(RULE.reason("billing", "Zq9#x7P!PASSWORD123k2m4n6b8v0c1x3z5")).contains("contains a common password");
        assertThat(RULE.reason("long-client-id-that-is-long-enough", "long-client-id-that-is-long-enough"))
                .contains("is or contains the client id");
        assertThat(RULE.reason("billing", "Kx7Qp2mZr9-BILLING-4tWv8sYd3nLc6hJf")).contains("is or contains the client id");
    }

    @Test
    void aHexSecretIsNotWeakForADigitRunThatHappensToBeACommonPassword() {
        // 1 in 40 random hex secrets holds such a run; production mode refused to start for them
        assertThat(RULE.reason("ab", "4f0c9e" + "12345678" + "b7d2a9e3c5f1" + "20121990")).isEmpty();
        assertThat(RULE.reason("ab", "Zq9#x7P!password1k2m4n6b8v0c1x3z5")).contains("contains a common password");
    }

    @Test
    void generatedSecretsAreNeverWeak() {
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            assertThat(RULE.reason("ab", Base64.getEncoder().encodeToString(bytes))).isEmpty();
            assertThat(RULE.reason("ab", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))).isEmpty();
            byte[] sixteen = new byte[16];
            random.nextBytes(sixteen);
            assertThat(RULE.reason("ab", HexFormat.of().formatHex(sixteen))).isEmpty();
        }
    }
}
