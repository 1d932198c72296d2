package io.latchkey.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheme, host, port and client IP a request has inside Latchkey, by who sent the forwarded headers. */
class TrustedProxyHeadersTest {

    private final TrustedProxyHeaders valve = new TrustedProxyHeaders(
            new ClientAddresses(ClientAddressesTest.trusting(List.of("10.0.0.0/8", "::1"))));

    @Test
    void aTrustedProxySetsSchemeHostPortAndClientIp() throws Exception {
        Seen seen = invoke("10.1.2.3", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "id.example.com",
                "X-Forwarded-For", "1.2.3.4, 203.0.113.5"));

        assertThat(seen).isEqualTo(new Seen("https", true, "id.example.com", 443, "203.0.113.5"));
        assertThat(invoke("::1", Map.of("X-Forwarded-Proto", "HTTPS", "X-Forwarded-Host", "[2001:db8::1]:8443")))
                .isEqualTo(new Seen("https", true, "[2001:db8::1]", 8443, "0:0:0:0:0:0:0:1"));
        assertThat(invoke("10.1.2.3", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Port", "8443")))
                .isEqualTo(new Seen("https", true, "127.0.0.1", 8443, "10.1.2.3"));
    }

    @Test
    void theRightmostValueCountsTheOneTheProxyWrote() throws Exception {
        assertThat(invoke("10.1.2.3", Map.of("X-Forwarded-Proto", "http, https", "X-Forwarded-Host",
                "evil.example, id.example.com"))).isEqualTo(new Seen("https", true, "id.example.com", 443, "10.1.2.3"));
    }

    @Test
    void anyOtherPeerKeepsItsOwnSchemeHostPortAndIp() throws Exception {
        assertThat(invoke("198.51.100.7", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example",
                "X-Forwarded-Port", "443", "X-Forwarded-For", "10.1.2.3")))
                .isEqualTo(new Seen("http", false, "127.0.0.1", 9000, "198.51.100.7"));
    }

    @Test
    void garbageFromATrustedProxyIsIgnored() throws Exception {
        assertThat(invoke("10.1.2.3", Map.of("X-Forwarded-Proto", "javascript", "X-Forwarded-Host",
                "evil.example/path?x", "X-Forwarded-Port", "99999")))
                .isEqualTo(new Seen("http", false, "127.0.0.1", 9000, "10.1.2.3"));
        assertThat(invoke("10.1.2.3", Map.of("X-Forwarded-Host", "a b", "X-Forwarded-For", "not-an-ip")))
                .isEqualTo(new Seen("http", false, "127.0.0.1", 9000, "10.1.2.3"));
    }

    private Seen invoke(String peer, Map<String, String> headers) throws Exception {
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        coyote.scheme().setString("http");
        coyote.serverName().setString("127.0.0.1");
        coyote.setServerPort(9000);
        headers.forEach((name, value) -> coyote.getMimeHeaders().addValue(name).setString(value));
        Request request = new Request(new Connector(), coyote);
        request.setRemoteAddr(peer);
        AtomicReference<Seen> seen = new AtomicReference<>();
        valve.setNext(new ValveBase() {
            @Override
            public void invoke(Request inner, Response response) {
                seen.set(new Seen(inner.getScheme(), inner.isSecure(), inner.getServerName(), inner.getServerPort(),
                        inner.getRemoteAddr()));
            }
        });
        valve.invoke(request, null);
        return seen.get();
    }

    record Seen(String scheme, boolean secure, String host, int port, String clientIp) {
    }
}
