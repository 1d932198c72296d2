package io.latchkey.http;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressesTest {

    private final ClientAddresses addresses = new ClientAddresses(trusting(List.of("10.0.0.0/8", "::1")));

    @Test
    void theTcpPeerIsTheClientWhenItIsNotATrustedProxy() {
        assertThat(addresses.clientIp(request("198.51.100.7", "203.0.113.5"))).isEqualTo("198.51.100.7");
        assertThat(addresses.clientIp(request("198.51.100.7", null))).isEqualTo("198.51.100.7");
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedEntryIsTheClient() {
        assertThat(addresses.clientIp(request("10.1.2.3", "203.0.113.5"))).isEqualTo("203.0.113.5");
        // the client wrote 1.2.3.4 itself; the proxies appended what they saw
        assertThat(addresses.clientIp(request("10.1.2.3", "1.2.3.4, 203.0.113.5, 10.9.9.9"))).isEqualTo("203.0.113.5");
        assertThat(addresses.clientIp(request("::1", "2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        // only proxies all the way: the leftmost one
        assertThat(addresses.clientIp(request("10.1.2.3", "10.2.2.2, 10.3.3.3"))).isEqualTo("10.2.2.2");
    }

    @Test
    void garbageInForwardedForStopsAtTheLastAddressThatCanBeVouchedFor() {
        assertThat(addresses.clientIp(request("10.1.2.3", "evil.example"))).isEqualTo("10.1.2.3");
        assertThat(addresses.clientIp(request("10.1.2.3", "1.2.3.4, 999.1.1.1"))).isEqualTo("10.1.2.3");
        assertThat(addresses.clientIp(request("10.1.2.3", "\u0000, , "))).isEqualTo("10.1.2.3");
        assertThat(addresses.clientIp(request("10.1.2.3", "x".repeat(10_000)))).isEqualTo("10.1.2.3");
    }

    @Test
    void perIpLimitsCountAnIpv6ClientByItsSlash64() {
        assertThat(IpRanges.bucketKey("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(IpRanges.bucketKey("2001:db8:1:2::ffff")).isEqualTo(IpRanges.bucketKey("2001:db8:1:2:ffff::1"));
        assertThat(IpRanges.bucketKey("[2001:db8:1:2::1]")).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(IpRanges.bucketKey("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3:0:0:0:0/64");
        assertThat(IpRanges.bucketKey("::1")).isEqualTo("0:0:0:0:0:0:0:0/64");
        // an IPv4 client is counted by its address, also when it arrives IPv4-mapped
        assertThat(IpRanges.bucketKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(IpRanges.bucketKey("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(IpRanges.bucketKey("unknown")).isEqualTo("unknown");
        assertThat(IpRanges.bucketKey(null)).isEqualTo("unknown");
        assertThat(IpRanges.bucketKey(" ")).isEqualTo("unknown");
    }

    @Test
    void badConfigurationStopsStartUp() {
        assertThatThrownBy(() -> new ClientAddresses(trusting(List.of("proxy.example"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trusted-proxies");
        assertThatThrownBy(() -> new ClientAddresses(trusting(List.of("10.0.0.0/33"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static MockHttpServletRequest request(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    static TrustedProxySettings trusting(List<String> trusted) {
        return new TrustedProxySettings(trusted);
    }
}
