package io.latchkey.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a client may send users back to, for redirect URIs and post-logout redirect URIs alike
 * (RFC 9700 section 2.1, RFC 8252 sections 7.1 and 7.3):
 * <ul>
 * <li>an {@code https} URL;</li>
 * <li>an {@code http} URL on the loopback interface only ({@code 127.0.0.1}, {@code [::1]},
 * {@code localhost}), where the authorization endpoint accepts any port, for native apps that listen on
 * an ephemeral one;</li>
 * <li>a private-use scheme of a native app, named after a domain its publisher controls in reverse order,
 * so with a period in it ({@code com.example.app:/callback}).</li>
 * </ul>
 * Never a fragment, user information or a wildcard. {@code javascript:}, {@code data:}, {@code file:}
 * and every other scheme without a period are refused.
 */
final class RedirectUriRule {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");

    private RedirectUriRule() {
    }

    /** Why the URI may not be registered, as the end of a sentence; empty when it may. */
    static Optional<String> violation(String value) {
        if (value.contains("*")) {
            return Optional.of("must not contain a wildcard");
        }
        URI uri;
        try {
            uri = new URI(value);
        }
        catch (URISyntaxException ex) {
            return Optional.of("is not a valid URI");
        }
        if (!uri.isAbsolute()) {
            return Optional.of("must be an absolute URI");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || scheme.equals("http")) {
            if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                return Optional.of("must name a host, and no user");
            }
            if (scheme.equals("http") && !isLoopback(uri.getHost())) {
                return Optional.of("may use http only on 127.0.0.1, [::1] or localhost: use https");
            }
            return Optional.empty();
        }
        if (!scheme.contains(".")) {
            return Optional.of("uses the scheme '" + scheme + ":': use https, http on a loopback address, or a "
                    + "private-use scheme in reverse domain notation such as com.example.app:/callback");
        }
        return Optional.empty();
    }

    private static boolean isLoopback(String host) {
        return LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    }
}
