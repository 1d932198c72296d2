package io.latchkey.oauth;

import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

import io.latchkey.client.ClientPolicies;
import io.latchkey.runtime.RuntimeMode;

/**
 * A client's public keys, as it registered them: inline ({@code jwks}) or published at its {@code jwks_uri}
 * (RFC 7591 section 2). They verify what the client signs: client assertions ({@code private_key_jwt}, RFC 7523)
 * and request objects (RFC 9101). A published key set is fetched with short time-outs and a size limit, only over
 * https (or, outside production mode, http on a loopback address, for development), and cached by Nimbus's {@link JWKSourceBuilder}, which
 * refetches when a signature names a key it does not know (the client rotated).
 */
@Component
public class ClientPublicKeys {

    static final int CONNECT_TIMEOUT_MILLIS = 2000;
    static final int READ_TIMEOUT_MILLIS = 2000;
    static final int SIZE_LIMIT_BYTES = 64 * 1024;

    private final Map<String, JWKSource<SecurityContext>> published = new ConcurrentHashMap<>();
    private final boolean loopbackHttpAllowed;

    /** In production mode only https is fetched: a client must not make the server call plain-http services. */
    ClientPublicKeys(RuntimeMode mode) {
        this.loopbackHttpAllowed = !mode.isProduction();
    }

    /**
     * The client's keys; {@link NoClientKeysException} when it registered none or they cannot be used (a malformed
     * inline set, a {@code jwks_uri} that is not https).
     */
    public JWKSource<SecurityContext> of(RegisteredClient client) {
        String inline = ClientPolicies.jwks(client);
        if (inline != null) {
            try {
                return new ImmutableJWKSet<>(JWKSet.parse(inline).toPublicJWKSet());
            }
            catch (ParseException ex) {
                throw new NoClientKeysException("the client's jwks is not a JWK Set");
            }
        }
        String uri = client.getClientSettings().getJwkSetUrl();
        if (uri == null || uri.isBlank()) {
            throw new NoClientKeysException("the client registered no keys (jwks or jwks_uri)");
        }
        return published.computeIfAbsent(client.getClientId() + " " + uri, key -> remote(uri));
    }

    private JWKSource<SecurityContext> remote(String uri) {
        URL url = fetchable(uri, loopbackHttpAllowed);
        return JWKSourceBuilder.<SecurityContext>create(url,
                new DefaultResourceRetriever(CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, SIZE_LIMIT_BYTES))
                .build();
    }

    /**
     * https, or (outside production mode) http on a loopback address; never anything else (no file:, no internal
     * plain-http hosts).
     */
    static URL fetchable(String uri, boolean loopbackHttpAllowed) {
        try {
            URI parsed = URI.create(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean loopbackHttp = loopbackHttpAllowed && scheme.equals("http") && parsed.getHost() != null
                    && InetAddress.getByName(parsed.getHost()).isLoopbackAddress();
            if (!scheme.equals("https") && !loopbackHttp) {
                throw new NoClientKeysException("the client's jwks_uri must be https");
            }
            return parsed.toURL();
        }
        catch (IllegalArgumentException | MalformedURLException | UnknownHostException ex) {
            throw new NoClientKeysException("the client's jwks_uri is not a usable URL");
        }
    }

    /** The client has no usable keys; the message is safe to show to the client. */
    public static class NoClientKeysException extends RuntimeException {

        NoClientKeysException(String message) {
            super(message);
        }
    }
}
