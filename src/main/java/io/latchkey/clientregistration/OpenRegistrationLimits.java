package io.latchkey.clientregistration;

import java.util.List;

import io.latchkey.client.ClientDraft;

/**
 * What a client registered by anyone ({@code latchkey.client-registration.open}, no initial access token) may not
 * have, at registration and at every later update through its registration access token: the {@code password}
 * grant (it would collect users' passwords) and the {@code client_credentials} grant (tokens without any user's
 * consent), nor the scopes of Latchkey's own API ({@code latchkey.admin}, {@code latchkey.account}). Such a client
 * can only sign users in with the authorization code flow, PKCE and consent.
 */
final class OpenRegistrationLimits {

    static final List<String> REFUSED_GRANT_TYPES = List.of("password", "client_credentials");
    static final List<String> REFUSED_SCOPES = List.of("latchkey.admin", "latchkey.account");

    private OpenRegistrationLimits() {
    }

    static void check(ClientDraft draft) {
        for (String grantType : REFUSED_GRANT_TYPES) {
            if (draft.grantTypes().contains(grantType)) {
                throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA, "grant_types: "
                        + grantType + " needs an initial access token (open registration does not allow it)");
            }
        }
        for (String scope : REFUSED_SCOPES) {
            if (draft.scopes().contains(scope)) {
                throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA, "scope: " + scope
                        + " needs an initial access token (open registration does not allow it)");
            }
        }
    }
}
