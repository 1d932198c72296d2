package io.latchkey.client;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** Latchkey's own per-client settings, stored among the registered client's settings. */
public final class ClientPolicies {

    /**
     * Access tokens from {@code client_credentials} are not stored: no database write per token, and
     * revocation is by expiry only. Introspection still answers for them by verifying the signature.
     */
    static final String STATELESS_CLIENT_CREDENTIALS = "settings.latchkey.stateless-client-credentials";

    /** An https URL of the client's logo, shown on the login and consent pages. */
    static final String LOGO_URI = "settings.latchkey.logo-uri";

    /** The client is a resource server: introspection answers it for every client's tokens, not only its own. */
    static final String RESOURCE_SERVER = "settings.latchkey.resource-server";

    private ClientPolicies() {
    }

    /** The client's logo URL, or null. */
    public static String logoUri(RegisteredClient client) {
        Object logo = client.getClientSettings().getSetting(LOGO_URI);
        return logo instanceof String uri && !uri.isBlank() ? uri : null;
    }

    public static boolean isResourceServer(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(RESOURCE_SERVER));
    }

    public static boolean hasStatelessClientCredentials(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(STATELESS_CLIENT_CREDENTIALS));
    }
}
