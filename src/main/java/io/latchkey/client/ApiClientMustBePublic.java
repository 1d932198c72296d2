package io.latchkey.client;

import java.util.List;
import java.util.Map;

/**
 * The first-party API client ({@value #PROPERTY}) must be public. {@code /api/v1/auth/refresh} and
 * {@code /api/v1/auth/logout} act for it on a refresh token alone, without a client secret; a confidential
 * client named there would have its tokens refreshed without the secret that is supposed to guard them.
 */
final class ApiClientMustBePublic {

    static final String PROPERTY = "latchkey.api.client-id";

    private ApiClientMustBePublic() {
    }

    /** The problem with the API client's declaration, if it has one. */
    static List<String> problems(String apiClientId, Map<String, ClientDefinition> declared) {
        ClientDefinition client = apiClientId == null ? null : declared.get(apiClientId.trim());
        if (client == null || client.isPublic()) {
            return List.of();
        }
        return List.of(PROPERTY + ": '" + apiClientId.trim() + "' is a confidential client, but the API's client must be "
                + "public (its tokens are refreshed without a secret): declare it without latchkey.clients."
                + apiClientId.trim() + ".secret, or name a public client");
    }
}
