package io.latchkey.crypto;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BcryptLengthLimitTest {

    /** The lowest cost: these tests are about lengths, not hashing strength. */
    private final BcryptLengthLimit encoder = new BcryptLengthLimit(new BCryptPasswordEncoder(4));

    @Test
    void hashesAndChecksPasswordsOfUpToSeventyTwoBytes() {
        String longest = "\u00e9".repeat(36);
        String hash = encoder.encode(longest);

        assertThat(encoder.matches(longest, hash)).isTrue();
        assertThat(encoder.matches("\u00e9".repeat(35), hash)).isFalse();
    }

    @Test
    void aLongerPasswordIsNeverCutToItsFirstSeventyTwoBytes() {
        String longest = "x".repeat(72);
        String hash = encoder.encode(longest);

        // bcrypt alone would compare only the first 72 bytes, and say yes
        assertThat(new BCryptPasswordEncoder(4).matches(longest + "anything", hash)).isTrue();
        assertThat(encoder.matches(longest + "anything", hash)).isFalse();
        assertThat(encoder.matches(null, hash)).isFalse();
    }

    @Test
    void refusesToHashALongerPassword() {
        assertThatThrownBy(() -> encoder.encode("\u00e9".repeat(50))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("72 bytes");
        assertThat(BcryptLengthLimit.fits("\u00e9".repeat(36))).isTrue();
        assertThat(BcryptLengthLimit.fits("\u00e9".repeat(36) + "x")).isFalse();
    }
}
