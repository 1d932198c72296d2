package io.latchkey.oauth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.stereotype.Component;

import io.latchkey.runtime.Issuer;

/**
 * The one place that decides whom an access token is for, its {@code aud} (RFC 9068 section 3, RFC 8707).
 * A token for Latchkey's own API carries the API's identifier, {@code {issuer}/api}, as its only audience:
 * a token granted an {@link ApiScopes API scope}, and every token of the first-party API client
 * ({@code latchkey.api.client-id}). Any other access token is for the client that asked for it, its
 * {@code client_id}, as before. The API accepts only tokens with its own audience, so a token a relying
 * party got for signing a user in is no API token, whoever the user is.
 */
@Component
public class TokenAudience {

    static final String API_PATH = "/api";

    private final String api;
    private final String apiClientId;

    TokenAudience(Issuer issuer, ApiClientSettings apiClient) {
        this.api = issuer.url() + API_PATH;
        this.apiClientId = apiClient.clientId();
    }

    /** The audience of tokens for Latchkey's own API. */
    public String api() {
        return api;
    }

    /** Whether the client is the first-party API client named by {@code latchkey.api.client-id}. */
    public boolean isFirstPartyApiClient(String clientId) {
        return !apiClientId.isEmpty() && apiClientId.equals(clientId);
    }

    /**
     * The audience of an access token issued to the client with the scopes; a plain {@link ArrayList}, as for
     * the roles (see {@link UserClaims#sortedRoles}).
     */
    List<String> of(String clientId, Collection<String> scopes) {
        boolean forTheApi = isFirstPartyApiClient(clientId) || scopes.stream().anyMatch(ApiScopes::isApiScope);
        return new ArrayList<>(List.of(forTheApi ? api : clientId));
    }
}
