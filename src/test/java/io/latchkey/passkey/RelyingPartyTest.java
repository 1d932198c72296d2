package io.latchkey.passkey;

import java.util.List;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

import io.latchkey.runtime.Issuer;
import io.latchkey.support.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

/** The relying party id and origins Latchkey derives from its issuer, and when passkeys are off. */
class RelyingPartyTest {

    @Test
    void hostAndOriginComeFromTheIssuer() {
        RelyingParty party = new RelyingParty(new Issuer("https://ID.example.com/"), properties(null, null, null));
        assertThat(party.enabled()).isTrue();
        assertThat(party.id()).isEqualTo("id.example.com");
        assertThat(party.name()).isEqualTo("Latchkey");
        assertThat(party.origins()).containsExactly("https://id.example.com");
    }

    @Test
    void aPortThatIsNotTheDefaultIsPartOfTheOrigin() {
        RelyingParty party = new RelyingParty(new Issuer("http://localhost:9000"), properties(null, null, null));
        assertThat(party.id()).isEqualTo("localhost");
        assertThat(party.origins()).containsExactly("http://localhost:9000");
        assertThat(new RelyingParty(new Issuer("https://id.example.com:443"), properties(null, null, null)).origins())
                .containsExactly("https://id.example.com");
    }

    @Test
    void settingsOverrideTheDerivedValues() {
        RelyingParty party = new RelyingParty(new Issuer("https://login.example.com"),
                properties("example.com", "Example Sign-in", List.of("https://login.example.com", "https://app.example.com")));
        assertThat(party.id()).isEqualTo("example.com");
        assertThat(party.name()).isEqualTo("Example Sign-in");
        assertThat(party.origins()).containsExactlyInAnyOrder("https://login.example.com", "https://app.example.com");
    }

    @Test
    void anIpAddressIssuerHasNoPasskeysAndSaysSoOnce() {
        try (LogCapture log = LogCapture.open()) {
            for (String issuer : List.of("http://127.0.0.1:9000", "http://[::1]:9000", "https://10.0.0.7")) {
                RelyingParty party = new RelyingParty(new Issuer(issuer), properties(null, null, null));
                assertThat(party.enabled()).as(issuer).isFalse();
            }
            assertThat(log.events()).filteredOn(event -> event.getLoggerName().equals(RelyingParty.class.getName()))
                    .hasSize(3).allSatisfy(event -> {
                        assertThat(event.getLevel()).isEqualTo(Level.WARN);
                        assertThat(event.getFormattedMessage()).contains("Passkeys are switched off",
                                "latchkey.passkeys.rp-id");
                    });
        }
    }

    @Test
    void anIpAddressIssuerWithAConfiguredIdHasPasskeys() {
        RelyingParty party = new RelyingParty(new Issuer("http://127.0.0.1:9000"),
                properties("localhost", null, List.of("http://localhost:9000")));
        assertThat(party.enabled()).isTrue();
        assertThat(party.id()).isEqualTo("localhost");
        assertThat(party.origins()).containsExactly("http://localhost:9000");
    }

    private static PasskeyProperties properties(String rpId, String rpName, List<String> origins) {
        return new PasskeyProperties(rpId, rpName, origins, null);
    }
}
