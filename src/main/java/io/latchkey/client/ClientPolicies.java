package io.latchkey.client;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** Latchkey's own per-client settings, stored among the registered client's settings. */
public final class ClientPolicies {

    /**
     * Access tokens from {@code client_credentials} are not stored: no database write per token, and
     * revocation is by expiry only. Introspection still answers for them by verifying the signature.
     */
    static final String STATELESS_CLIENT_CREDENTIALS = "settings.latchkey.stateless-client-credentials";

    private ClientPolicies() {
    }

    public static boolean hasStatelessClientCredentials(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(STATELESS_CLIENT_CREDENTIALS));
    }
}
