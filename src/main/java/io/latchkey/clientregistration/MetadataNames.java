package io.latchkey.clientregistration;

import java.util.Map;

import io.latchkey.client.ClientProblem;

/**
 * The client rules speak of the configuration's properties ({@code redirect-uris}); a registering client knows the
 * metadata's fields ({@code redirect_uris}). A problem's sentence is told in the client's words.
 */
final class MetadataNames {

    private static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("redirect-uris", "redirect_uris"),
            Map.entry("post-logout-redirect-uris", "post_logout_redirect_uris"), Map.entry("grant-types", "grant_types"),
            Map.entry("scopes", "scope"), Map.entry("display-name", "client_name"), Map.entry("logo-uri", "logo_uri"),
            Map.entry("backchannel-logout-uri", "backchannel_logout_uri"),
            Map.entry("secret", "token_endpoint_auth_method"), Map.entry("require-mfa", "grant_types"),
            Map.entry("token-endpoint-auth-method", "token_endpoint_auth_method"), Map.entry("jwks", "jwks"),
            Map.entry("jwks-uri", "jwks_uri"), Map.entry("subject-type", "subject_type"),
            Map.entry("sector-identifier-uri", "sector_identifier_uri"));

    private MetadataNames() {
    }

    static String inMessage(ClientProblem problem) {
        String field = FIELDS.get(problem.property());
        String message = problem.message();
        return field != null && message.startsWith(problem.property())
                ? field + message.substring(problem.property().length()) : message;
    }
}
