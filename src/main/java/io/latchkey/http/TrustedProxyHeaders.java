package io.latchkey.http;

import java.io.IOException;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Believes {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code -Port} only when the TCP peer is one of
 * {@code latchkey.rate-limit.trusted-proxies}, the rule {@link ClientAddresses} already applies to the client IP.
 * It works inside Tomcat, before any filter, so that everything sees the same request: the client IP, the scheme
 * and {@code isSecure()}, and the host and port Tomcat uses to make a relative redirect absolute. A request from
 * any other peer keeps its own address and scheme, whatever headers it sends.
 *
 * <p>For the scheme, host and port the rightmost value counts: it is the one the proxy that connected to Latchkey
 * wrote (a client can put anything to the left). Only {@code http} and {@code https} are accepted as a scheme and
 * only a plain host name or IP literal with an optional port as a host; anything else is ignored. Unlike Tomcat's
 * own {@code RemoteIpValve} it takes the same CIDR ranges as the rest of Latchkey and never asks DNS.
 */
final class TrustedProxyHeaders extends ValveBase {

    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";
    static final String FORWARDED_PORT = "X-Forwarded-Port";
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]{2,45}\\])(?::(\\d{1,5}))?");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private final ClientAddresses addresses;

    TrustedProxyHeaders(ClientAddresses addresses) {
        super(true);
        this.addresses = addresses;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String peer = IpRanges.canonical(request.getRemoteAddr());
        if (peer != null && addresses.trustedProxies().contains(peer)) {
            believeProxy(request);
        }
        getNext().invoke(request, response);
    }

    private void believeProxy(Request request) {
        String clientIp = addresses.clientIp(request);
        request.setRemoteAddr(clientIp);
        request.setRemoteHost(clientIp);

        String scheme = rightmost(request, FORWARDED_PROTO);
        boolean schemeForwarded = false;
        if (scheme != null) {
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (scheme.equals("https") || scheme.equals("http")) {
                request.getCoyoteRequest().scheme().setString(scheme);
                request.setSecure(scheme.equals("https"));
                schemeForwarded = true;
            }
        }
        int port = -1;
        String host = rightmost(request, FORWARDED_HOST);
        if (host != null) {
            var matcher = HOST.matcher(host);
            if (matcher.matches()) {
                String name = matcher.group(1) == null ? host : host.substring(0, host.lastIndexOf(':'));
                request.getCoyoteRequest().serverName().setString(name);
                port = matcher.group(1) == null ? -1 : validPort(matcher.group(1));
            }
            else {
                host = null;
            }
        }
        String forwardedPort = rightmost(request, FORWARDED_PORT);
        if (forwardedPort != null && PORT.matcher(forwardedPort).matches()) {
            port = validPort(forwardedPort);
        }
        if (port < 0 && (schemeForwarded || host != null)) {
            port = request.isSecure() ? 443 : 80;
        }
        if (port > 0) {
            request.setServerPort(port);
        }
    }

    private static int validPort(String digits) {
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    /** The last comma-separated value of the last such header, or null. */
    private static String rightmost(Request request, String name) {
        Enumeration<String> headers = request.getHeaders(name);
        String last = null;
        while (headers != null && headers.hasMoreElements()) {
            // null for a header Tomcat could not finish parsing: then no value counts
            last = headers.nextElement();
            if (last == null) {
                return null;
            }
        }
        if (last == null) {
            return null;
        }
        String value = last.substring(last.lastIndexOf(',') + 1).trim();
        return value.isEmpty() ? null : value;
    }
}
