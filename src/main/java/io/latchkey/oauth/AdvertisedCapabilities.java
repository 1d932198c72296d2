package io.latchkey.oauth;

import java.util.List;
import java.util.Map;

import io.latchkey.account.AuthenticationLevel;
import io.latchkey.client.SupportedGrantTypes;
import io.latchkey.oauth.challenge.AuthorizationChallenge;
import io.latchkey.oauth.clientauth.PrivateKeyJwtAuthentication;
import io.latchkey.oauth.dpop.ProofAlgorithms;
import io.latchkey.oauth.jar.RequestObjects;

/**
 * What discovery and OAuth metadata advertise: exactly what Latchkey configures and tests. The
 * authorization server would otherwise also advertise DPoP algorithms it does not take, TLS client
 * authentication and {@code client_secret_jwt}, which Latchkey does not offer ({@code private_key_jwt} it does). The
 * device flow's {@code device_authorization_endpoint} and the PAR endpoint are the framework's own entries, left in
 * place ({@code io.latchkey.oauth.device}, {@code io.latchkey.oauth.par}). Token exchange (RFC 8693) is listed among
 * the grant types ({@link SupportedGrantTypes}); resource indicators (RFC 8707) have no metadata of their own.
 * Dynamic client registration is Latchkey's own
 * endpoint ({@link RegistrationEndpointAddress}), not the framework's, which is never enabled.
 */
final class AdvertisedCapabilities {

    static final List<String> CLIENT_AUTHENTICATION_METHODS = List.of("client_secret_basic", "client_secret_post",
            "private_key_jwt", "none");
    static final List<String> CONFIDENTIAL_CLIENT_AUTHENTICATION_METHODS = List.of("client_secret_basic",
            "client_secret_post", "private_key_jwt");

    /** The PAR endpoint's path, the framework's default, which Latchkey does not change. */
    static final String PAR_PATH = "/oauth2/par";

    private AdvertisedCapabilities() {
    }

    static void applyTo(Map<String, Object> metadata, String signingAlgorithm) {
        for (String unsupported : List.of("tls_client_certificate_bound_access_tokens")) {
            metadata.remove(unsupported);
        }
        // RFC 9126 section 5: the PAR endpoint; whether requests must be pushed is each client's setting
        if (metadata.get("issuer") != null) {
            metadata.put("pushed_authorization_request_endpoint", metadata.get("issuer") + PAR_PATH);
        }
        metadata.put("require_pushed_authorization_requests", false);
        // RFC 9101 section 10.5, OpenID Connect Discovery: request objects by value; by reference only as the
        // request_uri of a pushed request, never fetched from a URL, hence request_uri_parameter_supported false
        metadata.put("request_parameter_supported", true);
        metadata.put("request_uri_parameter_supported", false);
        metadata.put("request_object_signing_alg_values_supported", RequestObjects.SIGNING_ALGORITHMS);
        metadata.put("grant_types_supported", SupportedGrantTypes.ALL);
        metadata.put("response_types_supported", List.of("code"));
        // OAuth 2.0 Form Post Response Mode; fragment is refused (docs/authorization-requests.md)
        metadata.put("response_modes_supported", List.of("query", "form_post"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("token_endpoint_auth_methods_supported", CLIENT_AUTHENTICATION_METHODS);
        metadata.put("revocation_endpoint_auth_methods_supported", CONFIDENTIAL_CLIENT_AUTHENTICATION_METHODS);
        metadata.put("introspection_endpoint_auth_methods_supported", CONFIDENTIAL_CLIENT_AUTHENTICATION_METHODS);
        // RFC 8414 section 2: the algorithms of private_key_jwt (never client_secret_jwt's HMACs)
        List<String> assertionAlgorithms = PrivateKeyJwtAuthentication.signingAlgorithms();
        metadata.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        metadata.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        metadata.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        metadata.put("authorization_response_iss_parameter_supported", true);
        // RFC 9449 section 5.1: exactly the algorithms a DPoP proof may use (io.latchkey.oauth.dpop)
        metadata.put("dpop_signing_alg_values_supported", ProofAlgorithms.NAMES);
        // draft-ietf-oauth-first-party-apps section 8
        if (metadata.get("issuer") != null) {
            metadata.put("authorization_challenge_endpoint", AuthorizationChallenge.url(metadata.get("issuer").toString()));
            // RFC 7591 section 3, RFC 8414 section 2: Latchkey's own endpoint, not the framework's
            metadata.put("registration_endpoint", RegistrationEndpointAddress.url(metadata.get("issuer").toString()));
        }
        if (metadata.containsKey("id_token_signing_alg_values_supported")) {
            metadata.put("id_token_signing_alg_values_supported", List.of(signingAlgorithm));
            // OpenID Connect Core 8: pairwise for a client registered with subject_type pairwise
            metadata.put("subject_types_supported", List.of("public", "pairwise"));
            metadata.put("scopes_supported", List.of("openid", "profile", "email", UserClaims.ROLES_SCOPE,
                    UserTokenClaims.PERMISSIONS_SCOPE, ApiScopes.ACCOUNT, ApiScopes.ADMIN));
            metadata.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid",
                    "azp", "at_hash", "amr", "acr", "email", "email_verified", "name", "roles", "permissions"));
            metadata.put("acr_values_supported", AuthenticationLevel.acrValues());
            metadata.put("prompt_values_supported", List.of("none", "login"));
            // OpenID Connect Core 5.5 and 3.1.2.1 (docs/authorization-requests.md)
            metadata.put("claims_parameter_supported", true);
            metadata.put("ui_locales_supported", List.of("en", "de"));
            // OpenID Connect Back-Channel Logout 1.0 section 2.1: logout tokens always carry sid
            metadata.put("backchannel_logout_supported", true);
            metadata.put("backchannel_logout_session_supported", true);
        }
    }
}
