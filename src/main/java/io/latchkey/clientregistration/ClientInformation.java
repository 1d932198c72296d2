package io.latchkey.clientregistration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.latchkey.client.ClientView;

/**
 * The client information response (RFC 7591 section 3.2.1, RFC 7592 section 3): the metadata as registered (which may
 * differ from what was asked for: defaults filled in, PKCE and consent always on), the client's credentials, and
 * where and with what token to read, change or delete the registration.
 */
final class ClientInformation {

    private ClientInformation() {
    }

    /**
     * @param secret       the client secret, only when one was just generated (it is stored as a hash, so never again)
     * @param accessToken  the registration access token to give the client: a new one, or the one it presented
     */
    static Map<String, Object> of(ClientView client, String authMethod, String secret, String accessToken,
            String configurationUri, String softwareStatement) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", client.clientId());
        if (secret != null) {
            body.put("client_secret", secret);
        }
        if (client.createdAt() != null) {
            body.put("client_id_issued_at", client.createdAt().getEpochSecond());
        }
        if (client.confidential()) {
            body.put("client_secret_expires_at", 0); // never
        }
        body.put("registration_access_token", accessToken);
        body.put("registration_client_uri", configurationUri);
        body.put("token_endpoint_auth_method", client.confidential() ? authMethod : MetadataRules.NONE);
        body.put("grant_types", client.grantTypes());
        body.put("response_types", client.grantTypes().contains("authorization_code") ? List.of("code") : List.of());
        body.put("redirect_uris", client.redirectUris());
        if (!client.postLogoutRedirectUris().isEmpty()) {
            body.put("post_logout_redirect_uris", client.postLogoutRedirectUris());
        }
        body.put("client_name", client.displayName());
        if (client.logoUri() != null && !client.logoUri().isEmpty()) {
            body.put("logo_uri", client.logoUri());
        }
        body.put("scope", String.join(" ", client.scopes()));
        if (client.backchannelLogoutUri() != null && !client.backchannelLogoutUri().isEmpty()) {
            body.put("backchannel_logout_uri", client.backchannelLogoutUri());
            body.put("backchannel_logout_session_required", true);
        }
        if (softwareStatement != null) {
            body.put("software_statement", softwareStatement);
        }
        return body;
    }
}
