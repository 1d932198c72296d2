package io.latchkey.oauth.clientauth;

import java.time.Clock;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.stereotype.Component;

import io.latchkey.oauth.ClientPublicKeys;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.runtime.Issuer;

/**
 * Client authentication with {@code private_key_jwt} (RFC 7523 sections 2.2 and 3, OpenID Connect Core 9) at every
 * endpoint that authenticates clients (token, introspection, revocation): the framework's
 * {@link JwtClientAssertionAuthenticationProvider}, with Latchkey's key lookup, algorithms and claim checks
 * ({@link ClientAssertionDecoders}), single use across instances ({@link SingleUseAssertions}) and failures
 * limited like wrong secrets ({@link ClientAssertionAttempts}). {@code client_secret_jwt} is not offered: it would
 * need the client's secret in the clear, and Latchkey keeps only hashes of secrets.
 */
@Component
public final class PrivateKeyJwtAuthentication {

    private final ClientAssertionDecoders decoders;
    private final CredentialGuard guard;

    PrivateKeyJwtAuthentication(ClientPublicKeys keys, UsedClientAssertions used, Issuer issuer,
            AuthorizationServerSettings settings, Clock clock, ClientAssertionProperties properties,
            CredentialGuard guard) {
        // RFC 7523 section 3 item 3 names the token endpoint; OpenID Connect Core 9 allows the issuer too
        this.decoders = new ClientAssertionDecoders(keys, used,
                List.of(issuer.url(), issuer.url() + settings.getTokenEndpoint()), clock, properties);
        this.guard = guard;
    }

    /** The framework's assertion provider, set up as described above, in place of how it came. */
    public AuthenticationProvider configure(JwtClientAssertionAuthenticationProvider provider) {
        provider.setJwtDecoderFactory(decoders);
        return new ClientAssertionAttempts(provider, guard);
    }

    /** Takes a client assertion that names no {@code client_id} ({@link AssertionClientId}). */
    public AuthenticationConverter converter() {
        return new AssertionClientId();
    }

    /** The algorithms client assertions may be signed with, for discovery. */
    public static List<String> signingAlgorithms() {
        return ClientAssertionDecoders.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList();
    }
}
