package io.latchkey.clientregistration;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

import io.latchkey.client.ClientExtensions;
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
        ClientExtensions extensions = client.extensions();
        body.put("token_endpoint_auth_method", extensions.privateKeyJwt() ? MetadataRules.PRIVATE_KEY_JWT
                : client.confidential() ? authMethod : MetadataRules.NONE);
        if (extensions.jwks() != null) {
            body.put("jwks", parsed(extensions.jwks()));
        }
        if (extensions.jwksUri() != null) {
            body.put("jwks_uri", extensions.jwksUri());
        }
        body.put("subject_type", extensions.subjectType());
        if (extensions.sectorIdentifierUri() != null) {
            body.put("sector_identifier_uri", extensions.sectorIdentifierUri());
        }
        body.put("require_pushed_authorization_requests", extensions.requirePushedAuthorizationRequests());
        body.put("dpop_bound_access_tokens", extensions.dpopBoundAccessTokens());
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

    /** The stored key set back as JSON; it was checked on the way in, so a failure here is a broken store. */
    private static Map<String, Object> parsed(String jwks) {
        try {
            return JSONObjectUtils.parse(jwks);
        }
        catch (ParseException ex) {
            throw new IllegalStateException("Stored jwks is not JSON", ex);
        }
    }
}
