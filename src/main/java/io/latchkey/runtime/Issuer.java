package io.latchkey.runtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.issuer}: the URL users and clients reach Latchkey at, which every token names as its {@code iss}
 * and every link and redirect starts with. Read here once, checked once: an absolute {@code http} or {@code https}
 * URL with a host and no query or fragment. A trailing slash is dropped, so that {@code issuer + "/path"} is one URL.
 */
@ConfigurationProperties("latchkey")
public record Issuer(String issuer) {

    public Issuer {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("latchkey.issuer (LATCHKEY_ISSUER) is required: the URL users reach "
                    + "Latchkey at, for example https://id.example.com");
        }
        issuer = issuer.trim();
        if (issuer.endsWith("/")) {
            issuer = issuer.substring(0, issuer.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(issuer);
        }
        catch (URISyntaxException notAUrl) {
            throw new IllegalArgumentException("latchkey.issuer (LATCHKEY_ISSUER) is not a URL: '" + issuer + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("latchkey.issuer (LATCHKEY_ISSUER) must be an http(s) URL with a host "
                    + "and no query or fragment, not '" + issuer + "'");
        }
    }

    /** The issuer URL, without a trailing slash. */
    public String url() {
        return issuer;
    }

    public boolean isHttps() {
        return issuer.regionMatches(true, 0, "https:", 0, 6);
    }

    @Override
    public String toString() {
        return issuer;
    }
}
