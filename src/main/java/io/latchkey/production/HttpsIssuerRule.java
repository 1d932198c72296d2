package io.latchkey.production;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import org.springframework.core.env.Environment;

/**
 * Production is reached over HTTPS: the issuer is an {@code https} URL. Plain {@code http} is accepted on the loopback
 * interface only, where nothing crosses a network (a local test, a sidecar).
 */
final class HttpsIssuerRule implements ProductionRule {

    @Override
    public List<String> problems(Environment environment) {
        String issuer = environment.getProperty("latchkey.issuer", "");
        URI uri;
        try {
            uri = new URI(issuer.trim());
        }
        catch (URISyntaxException ex) {
            return List.of("latchkey.issuer (LATCHKEY_ISSUER) is not a URL: set the https URL users reach Latchkey at");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return List.of("latchkey.issuer (LATCHKEY_ISSUER) must be an https URL with a host, not '" + issuer + "'");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            return List.of("latchkey.issuer (LATCHKEY_ISSUER) is '" + issuer + "': production needs an https issuer "
                    + "(plain http only on the loopback interface). Terminate TLS at Latchkey or at a reverse proxy "
                    + "listed in latchkey.rate-limit.trusted-proxies, and set the https URL");
        }
        return List.of();
    }

    static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.equals("localhost") || name.equals("::1") || name.equals("0:0:0:0:0:0:0:1")
                || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
