package io.latchkey.oauth;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.jwt.Jwt;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** Discovery documents advertise exactly what is configured and tested; client credentials work end to end. */
@IntegrationTest
class DiscoveryAndClientCredentialsTest {

    private final Browser browser = new Browser();

    @Test
    void openIdConfigurationAdvertisesWhatLatchkeySupportsAndNothingElse() {
        JsonNode metadata = json("/.well-known/openid-configuration");
        assertThat(metadata.get("issuer").asString()).isEqualTo(ISSUER);
        assertThat(metadata.get("authorization_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/authorize");
        assertThat(metadata.get("token_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(metadata.get("jwks_uri").asString()).isEqualTo(ISSUER + "/oauth2/jwks");
        assertThat(metadata.get("userinfo_endpoint").asString()).isEqualTo(ISSUER + "/userinfo");
        assertThat(metadata.get("end_session_endpoint").asString()).isEqualTo(ISSUER + "/connect/logout");
        assertThat(metadata.get("revocation_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/revoke");
        assertThat(metadata.get("introspection_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/introspect");
        assertThat(metadata.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        assertThat(strings(metadata, "code_challenge_methods_supported")).containsExactly("S256");
        assertThat(strings(metadata, "response_types_supported")).containsExactly("code");
        // the one list of grants (io.latchkey.client.SupportedGrantTypes), the device code and token exchange grants among them
        assertThat(strings(metadata, "grant_types_supported"))
                .containsExactlyInAnyOrderElementsOf(io.latchkey.client.SupportedGrantTypes.ALL)
                .contains("authorization_code", "refresh_token", "client_credentials", "password",
                        "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat(strings(metadata, "token_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
        assertThat(strings(metadata, "token_endpoint_auth_signing_alg_values_supported"))
                .containsExactly("RS256", "PS256", "ES256");
        assertThat(strings(metadata, "subject_types_supported")).containsExactlyInAnyOrder("public", "pairwise");
        assertThat(strings(metadata, "id_token_signing_alg_values_supported")).containsExactly("RS256");
        assertThat(strings(metadata, "claims_supported")).contains("sub", "email", "email_verified", "name", "roles", "permissions",
                "auth_time", "nonce", "sid", "at_hash");
        assertThat(strings(metadata, "prompt_values_supported")).containsExactlyInAnyOrder("none", "login");
        assertThat(strings(metadata, "scopes_supported")).containsExactlyInAnyOrder("openid", "profile", "email", "roles",
                "permissions", "latchkey.account", "latchkey.admin");
        // DPoP (RFC 9449 section 5.1): exactly the algorithms a proof may use (io.latchkey.oauth.dpop)
        assertThat(strings(metadata, "dpop_signing_alg_values_supported")).containsExactly("ES256", "PS256", "RS256");
        // RFC 8628 section 4, io.latchkey.oauth.device
        assertThat(metadata.get("device_authorization_endpoint").asString())
                .isEqualTo(ISSUER + "/oauth2/device_authorization");
        // RFC 9126, io.latchkey.oauth.par
        assertThat(metadata.get("pushed_authorization_request_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/par");
        // Latchkey's own dynamic client registration endpoint (RFC 7591, RFC 7592), io.latchkey.clientregistration
        assertThat(metadata.get("registration_endpoint").asString()).isEqualTo(ISSUER + "/connect/register");
        assertThat(metadata.has("tls_client_certificate_bound_access_tokens")).isFalse();
    }

    /**
     * Every member of both documents, by name: a capability the framework would advertise on its own, or one added
     * without being built, fails here. Issue 16's: device flow, PAR and request objects, DPoP, private_key_jwt,
     * form_post, the claims parameter and ui_locales, pairwise subjects, token exchange (among the grant types).
     */
    @Test
    void bothDocumentsListExactlyWhatIsBuilt() {
        List<String> common = List.of("issuer", "authorization_endpoint", "device_authorization_endpoint",
                "pushed_authorization_request_endpoint", "require_pushed_authorization_requests", "token_endpoint",
                "token_endpoint_auth_methods_supported", "token_endpoint_auth_signing_alg_values_supported",
                "jwks_uri", "response_types_supported", "response_modes_supported", "grant_types_supported",
                "revocation_endpoint", "revocation_endpoint_auth_methods_supported",
                "revocation_endpoint_auth_signing_alg_values_supported", "introspection_endpoint",
                "introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
                "code_challenge_methods_supported", "dpop_signing_alg_values_supported",
                "authorization_response_iss_parameter_supported", "request_parameter_supported",
                "request_uri_parameter_supported", "request_object_signing_alg_values_supported",
                "authorization_challenge_endpoint", "registration_endpoint");
        List<String> openId = new ArrayList<>(common);
        openId.addAll(List.of("userinfo_endpoint", "end_session_endpoint", "subject_types_supported",
                "id_token_signing_alg_values_supported", "scopes_supported", "claims_supported", "acr_values_supported",
                "prompt_values_supported", "claims_parameter_supported", "ui_locales_supported",
                "backchannel_logout_supported", "backchannel_logout_session_supported"));
        assertThat(names(json("/.well-known/openid-configuration"))).containsExactlyInAnyOrderElementsOf(openId);
        assertThat(names(json("/.well-known/oauth-authorization-server"))).containsExactlyInAnyOrderElementsOf(common);

        JsonNode metadata = json("/.well-known/openid-configuration");
        assertThat(strings(metadata, "token_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "none", "private_key_jwt");
        assertThat(strings(metadata, "token_endpoint_auth_signing_alg_values_supported"))
                .containsExactlyInAnyOrder("RS256", "PS256", "ES256");
        assertThat(strings(metadata, "response_modes_supported")).containsExactlyInAnyOrder("query", "form_post");
        assertThat(strings(metadata, "subject_types_supported")).containsExactlyInAnyOrder("public", "pairwise");
        assertThat(strings(metadata, "ui_locales_supported")).containsExactlyInAnyOrder("en", "de");
        assertThat(metadata.get("request_uri_parameter_supported").asBoolean()).isFalse();
        assertThat(metadata.get("require_pushed_authorization_requests").asBoolean()).isFalse();
        assertThat(metadata.get("claims_parameter_supported").asBoolean()).isTrue();
    }

    private static List<String> names(JsonNode document) {
        List<String> names = new ArrayList<>();
        document.propertyNames().forEach(names::add);
        return names;
    }

    @Test
    void oauthAuthorizationServerMetadataMatches() {
        JsonNode metadata = json("/.well-known/oauth-authorization-server");
        assertThat(metadata.get("issuer").asString()).isEqualTo(ISSUER);
        assertThat(metadata.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        // the one list of grants (io.latchkey.client.SupportedGrantTypes), the device code and token exchange grants among them
        assertThat(strings(metadata, "grant_types_supported"))
                .containsExactlyInAnyOrderElementsOf(io.latchkey.client.SupportedGrantTypes.ALL)
                .contains("authorization_code", "refresh_token", "client_credentials", "password",
                        "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat(strings(metadata, "introspection_endpoint_auth_methods_supported"))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt");
        assertThat(metadata.get("registration_endpoint").asString()).isEqualTo(ISSUER + "/connect/register");
        // DPoP (RFC 9449 section 5.1): exactly the algorithms a proof may use (io.latchkey.oauth.dpop)
        assertThat(strings(metadata, "dpop_signing_alg_values_supported")).containsExactly("ES256", "PS256", "RS256");
        // RFC 8628 section 4, io.latchkey.oauth.device
        assertThat(metadata.get("device_authorization_endpoint").asString())
                .isEqualTo(ISSUER + "/oauth2/device_authorization");
    }

    @Test
    void jwksPublishesOnlyPublicKeysEachWithAKid() {
        JsonNode keys = json("/oauth2/jwks").get("keys");
        assertThat(keys.size()).isGreaterThanOrEqualTo(1);
        for (JsonNode key : keys) {
            assertThat(key.get("kid").asString()).isNotBlank();
            assertThat(key.get("use").asString()).isEqualTo("sig");
            assertThat(key.get("alg").asString()).isIn("RS256", "ES256");
            assertThat(key.has("d")).isFalse();
            assertThat(key.has("p")).isFalse();
        }
    }

    @Test
    void clientCredentialsIssuesAVerifiableTokenWithoutUserClaimsOrRefreshToken() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode tokens = OAuth.json(response);
        assertThat(tokens.has("refresh_token")).isFalse();
        assertThat(tokens.has("id_token")).isFalse();
        assertThat(tokens.get("scope").asString()).isEqualTo("api.read");

        Jwt jwt = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(tokens.get("access_token").asString());
        assertThat(jwt.getSubject()).isEqualTo(CONFIDENTIAL_CLIENT);
        assertThat(jwt.getClaims()).doesNotContainKeys("roles", "email");
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("api.read");

        Browser.Response introspection = OAuth.post(browser, "/oauth2/introspect", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET, OAuth.form("token", tokens.get("access_token").asString()));
        assertThat(OAuth.json(introspection).get("active").asBoolean()).isTrue();
    }

    @Test
    void clientSecretPostAuthenticationWorksToo() {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, null,
                OAuth.form("grant_type", "client_credentials", "client_id", CONFIDENTIAL_CLIENT,
                        "client_secret", CONFIDENTIAL_SECRET));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private JsonNode json(String path) {
        Browser.Response response = browser.get(path, "Accept", "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        node.get(field).forEach(value -> values.add(value.asString()));
        return values;
    }
}
