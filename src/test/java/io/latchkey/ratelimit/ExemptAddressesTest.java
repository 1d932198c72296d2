package io.latchkey.ratelimit;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExemptAddressesTest {

    private final ExemptAddresses exempt = new ExemptAddresses(List.of("192.0.2.0/24"));

    @Test
    void exemptAddressesAreMatchedByRange() {
        assertThat(exempt.contains("192.0.2.77")).isTrue();
        assertThat(exempt.contains("192.0.3.1")).isFalse();
        assertThat(exempt.contains("unknown")).isFalse();
    }

    @Test
    void noExemptAddressesExemptNobody() {
        assertThat(new ExemptAddresses(List.of()).contains("192.0.2.77")).isFalse();
    }

    @Test
    void badConfigurationStopsStartUp() {
        assertThatThrownBy(() -> new ExemptAddresses(List.of("proxy.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exempt-addresses");
    }
}
