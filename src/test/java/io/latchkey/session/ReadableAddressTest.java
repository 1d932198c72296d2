package io.latchkey.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IPv6 addresses in the short form people read (RFC 5952); everything else as it is. */
class ReadableAddressTest {

    @Test
    void loopbackIsShort() {
        assertThat(ReadableAddress.of("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    }

    @Test
    void theLongestRunOfZeroGroupsIsDroppedAndLeadingZerosToo() {
        assertThat(ReadableAddress.of("2001:0db8:0000:0000:0000:ff00:0042:8329")).isEqualTo("2001:db8::ff00:42:8329");
        assertThat(ReadableAddress.of("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(ReadableAddress.of("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(ReadableAddress.of("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(ReadableAddress.of("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
    }

    @Test
    void otherAddressesStayAsTheyAre() {
        assertThat(ReadableAddress.of("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(ReadableAddress.of("::1")).isEqualTo("::1");
        assertThat(ReadableAddress.of(null)).isNull();
    }
}
