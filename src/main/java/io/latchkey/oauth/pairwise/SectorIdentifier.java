package io.latchkey.oauth.pairwise;

import java.net.URI;
import java.util.Locale;
import java.util.TreeSet;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import io.latchkey.client.ClientPolicies;

/**
 * The sector a pairwise client belongs to (OpenID Connect Core 8.1): the host of its {@code sector_identifier_uri}
 * when it registered one, otherwise the host of its redirect URIs (the client rules allow only one then,
 * {@code io.latchkey.client.SectorIdentifierUriRule}). Clients of one sector see the same identifiers. A client
 * without redirect URIs gets no ID tokens; its own client id keeps it a sector of its own.
 */
final class SectorIdentifier {

    private SectorIdentifier() {
    }

    static String of(RegisteredClient client) {
        String sectorUri = ClientPolicies.sectorIdentifierUri(client);
        if (sectorUri != null) {
            String host = hostOf(sectorUri);
            if (host != null) {
                return host;
            }
        }
        TreeSet<String> hosts = new TreeSet<>();
        for (String redirectUri : client.getRedirectUris()) {
            String host = hostOf(redirectUri);
            if (host != null) {
                hosts.add(host);
            }
        }
        return hosts.isEmpty() ? "client:" + client.getClientId() : hosts.first();
    }

    private static String hostOf(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        }
        catch (IllegalArgumentException notAUri) {
            return null;
        }
    }
}
