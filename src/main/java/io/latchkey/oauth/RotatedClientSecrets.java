package io.latchkey.oauth;

import java.time.Clock;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import io.latchkey.client.ClientPolicies;
import io.latchkey.client.ClientSecretVerifier;

/**
 * A client's secret, or during the overlap after a rotation its previous secret
 * ({@link ClientPolicies#previousSecretHash}): both authenticate it, checked by the stock provider, so every other rule
 * of client authentication holds for both. A previous secret that was checked before is tried first, so a client
 * still on it costs no password hash per request; once the overlap ends it is refused like any wrong secret.
 */
final class RotatedClientSecrets implements AuthenticationProvider {

    private final AuthenticationProvider current;
    private final AuthenticationProvider previous;
    private final RegisteredClientRepository clients;
    private final ClientSecretVerifier verifier;
    private final Clock clock;

    RotatedClientSecrets(ClientSecretAuthenticationProvider current, RegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations, ClientSecretVerifier verifier, Clock clock) {
        this.current = current;
        this.clients = clients;
        this.verifier = verifier;
        this.clock = clock;
        ClientSecretAuthenticationProvider previousSecrets = new ClientSecretAuthenticationProvider(
                new WithPreviousSecret(clients, clock), authorizations);
        previousSecrets.setPasswordEncoder(verifier);
        this.previous = previousSecrets;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return current.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
        boolean bySecret = ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(request.getClientAuthenticationMethod())
                || ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(request.getClientAuthenticationMethod());
        Optional<String> previousHash = bySecret ? previousHashOf(String.valueOf(request.getPrincipal())) : Optional.empty();
        if (previousHash.isEmpty()) {
            return current.authenticate(authentication);
        }
        Object secret = request.getCredentials();
        if (secret != null && verifier.isRemembered(secret.toString(), previousHash.get())) {
            return previous.authenticate(authentication);
        }
        try {
            return current.authenticate(authentication);
        }
        catch (OAuth2AuthenticationException refused) {
            if (!OAuth2ErrorCodes.INVALID_CLIENT.equals(refused.getError().getErrorCode())) {
                throw refused;
            }
            try {
                return previous.authenticate(authentication);
            }
            catch (OAuth2AuthenticationException alsoRefused) {
                throw refused;
            }
        }
    }

    /** Whether this secret is remembered as right for the client's current or still accepted previous secret. */
    boolean isRemembered(RegisteredClient client, String secret) {
        return verifier.isRemembered(secret, client.getClientSecret())
                || ClientPolicies.previousSecretHash(client, clock.instant())
                        .filter(hash -> verifier.isRemembered(secret, hash)).isPresent();
    }

    private Optional<String> previousHashOf(String clientId) {
        RegisteredClient client = clients.findByClientId(clientId);
        return client == null ? Optional.empty() : ClientPolicies.previousSecretHash(client, clock.instant());
    }

    /** The clients as seen by their previous secret: found only while it is accepted, and never saved. */
    private static final class WithPreviousSecret implements RegisteredClientRepository {

        private final RegisteredClientRepository clients;
        private final Clock clock;

        WithPreviousSecret(RegisteredClientRepository clients, Clock clock) {
            this.clients = clients;
            this.clock = clock;
        }

        @Override
        public void save(RegisteredClient registeredClient) {
            // the stock provider saves a client to upgrade its hash: never the previous secret as the current one
        }

        @Override
        public RegisteredClient findById(String id) {
            return withPreviousSecret(clients.findById(id));
        }

        @Override
        public RegisteredClient findByClientId(String clientId) {
            return withPreviousSecret(clients.findByClientId(clientId));
        }

        private RegisteredClient withPreviousSecret(RegisteredClient client) {
            if (client == null) {
                return null;
            }
            return ClientPolicies.previousSecretHash(client, clock.instant())
                    .map(hash -> RegisteredClient.from(client).clientSecret(hash).build()).orElse(null);
        }
    }
}
