package io.latchkey.oauth;

import java.util.List;
import java.util.Map;

import io.latchkey.account.AuthenticationLevel;
import io.latchkey.client.SupportedGrantTypes;
import io.latchkey.oauth.challenge.AuthorizationChallenge;

/**
 * What discovery and OAuth metadata advertise: exactly what Latchkey configures and tests. The
 * authorization server would otherwise also advertise DPoP, device flow, PAR and TLS or JWT client
 * authentication, none of which Latchkey offers yet. Token exchange (RFC 8693) is offered and listed among the
 * grant types ({@link SupportedGrantTypes}); resource indicators (RFC 8707) have no metadata of their own. Dynamic client registration is Latchkey's own
 * endpoint ({@link RegistrationEndpointAddress}), not the framework's, which is never enabled.
 */
final class AdvertisedCapabilities {

    static final List<String> CLIENT_AUTHENTICATION_METHODS = List.of("client_secret_basic", "client_secret_post", "none");
    static final List<String> CONFIDENTIAL_CLIENT_AUTHENTICATION_METHODS = List.of("client_secret_basic", "client_secret_post");

    private AdvertisedCapabilities() {
    }

    static void applyTo(Map<String, Object> metadata, String signingAlgorithm) {
        for (String unsupported : List.of("dpop_signing_alg_values_supported", "device_authorization_endpoint",
                "pushed_authorization_request_endpoint",
                "tls_client_certificate_bound_access_tokens", "require_pushed_authorization_requests")) {
            metadata.remove(unsupported);
        }
        metadata.put("grant_types_supported", SupportedGrantTypes.ALL);
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("token_endpoint_auth_methods_supported", CLIENT_AUTHENTICATION_METHODS);
        metadata.put("revocation_endpoint_auth_methods_supported", CONFIDENTIAL_CLIENT_AUTHENTICATION_METHODS);
        metadata.put("introspection_endpoint_auth_methods_supported", CONFIDENTIAL_CLIENT_AUTHENTICATION_METHODS);
        metadata.put("authorization_response_iss_parameter_supported", true);
        // draft-ietf-oauth-first-party-apps section 8
        if (metadata.get("issuer") != null) {
            metadata.put("authorization_challenge_endpoint", AuthorizationChallenge.url(metadata.get("issuer").toString()));
            // RFC 7591 section 3, RFC 8414 section 2: Latchkey's own endpoint, not the framework's
            metadata.put("registration_endpoint", RegistrationEndpointAddress.url(metadata.get("issuer").toString()));
        }
        if (metadata.containsKey("id_token_signing_alg_values_supported")) {
            metadata.put("id_token_signing_alg_values_supported", List.of(signingAlgorithm));
            metadata.put("scopes_supported", List.of("openid", "profile", "email", UserClaims.ROLES_SCOPE,
                    UserTokenClaims.PERMISSIONS_SCOPE, ApiScopes.ACCOUNT, ApiScopes.ADMIN));
            metadata.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid",
                    "azp", "at_hash", "amr", "acr", "email", "email_verified", "name", "roles", "permissions"));
            metadata.put("acr_values_supported", AuthenticationLevel.acrValues());
            metadata.put("prompt_values_supported", List.of("none", "login"));
            // OpenID Connect Back-Channel Logout 1.0 section 2.1: logout tokens always carry sid
            metadata.put("backchannel_logout_supported", true);
            metadata.put("backchannel_logout_session_supported", true);
        }
    }
}
