package io.latchkey.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IssuerTest {

    @Test
    void anHttpsUrlIsTheIssuerAsGivenAndATrailingSlashIsDropped() {
        assertThat(new Issuer("https://id.example.com").url()).isEqualTo("https://id.example.com");
        assertThat(new Issuer(" https://id.example.com/tenant/ ").url()).isEqualTo("https://id.example.com/tenant");
        assertThat(new Issuer("https://id.example.com").isHttps()).isTrue();
        assertThat(new Issuer("http://localhost:9000").isHttps()).isFalse();
    }

    @Test
    void anythingButAnHttpUrlWithAHostIsRefusedNamingTheSetting() {
        for (String wrong : new String[] { "", "  ", "id.example.com", "ftp://id.example.com", "https://",
                "https://id.example.com?tenant=1", "https://id.example.com#top", "https://id example.com" }) {
            assertThatIllegalArgumentException().as(wrong).isThrownBy(() -> new Issuer(wrong))
                    .withMessageContaining("latchkey.issuer (LATCHKEY_ISSUER)");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> new Issuer(null))
                .withMessageContaining("latchkey.issuer");
    }
}
