package io.latchkey.clientregistration;

import java.util.Map;

import io.latchkey.client.ClientProblem;

/**
 * The client rules speak of the configuration's properties ({@code redirect-uris}); a registering client knows the
 * metadata's fields ({@code redirect_uris}). A problem's sentence is told in the client's words.
 */
final class MetadataNames {

    private static final Map<String, String> FIELDS = Map.of("redirect-uris", "redirect_uris",
            "post-logout-redirect-uris", "post_logout_redirect_uris", "grant-types", "grant_types", "scopes", "scope",
            "display-name", "client_name", "logo-uri", "logo_uri", "backchannel-logout-uri", "backchannel_logout_uri",
            "secret", "token_endpoint_auth_method", "require-mfa", "grant_types");

    private MetadataNames() {
    }

    static String inMessage(ClientProblem problem) {
        String field = FIELDS.get(problem.property());
        String message = problem.message();
        return field != null && message.startsWith(problem.property())
                ? field + message.substring(problem.property().length()) : message;
    }
}
