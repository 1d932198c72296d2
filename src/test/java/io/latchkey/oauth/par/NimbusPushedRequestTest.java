package io.latchkey.oauth.par;

import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.PushedRequests;
import io.latchkey.support.PushedRequests.TestClient;
import io.latchkey.support.TestAddresses;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client library no one here wrote, the Nimbus OAuth 2.0 SDK, pushes authorization requests (plain, and as a
 * signed request object) to the PAR endpoint it finds in discovery, sends the user with the request_uri, and
 * redeems the code; it parses every answer and validates the ID token.
 */
@IntegrationTest
class NimbusPushedRequestTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "nimbus pushed request passphrase";

    @Autowired
    private ClientAdministration administration;

    private OIDCProviderMetadata provider;
    private String email;

    @BeforeEach
    void discoverAndCreateUser() throws Exception {
        provider = OIDCProviderMetadata.resolve(new Issuer(TestServerInitializer.ISSUER));
        email = TestUsers.uniqueEmail("nimbus-par");
        createUser(email, PASSWORD);
    }

    @Test
    void discoveryNamesTheParEndpointAndRequestObjects() {
        assertThat(provider.getPushedAuthorizationRequestEndpointURI())
                .hasToString(TestServerInitializer.ISSUER + "/oauth2/par");
        assertThat(provider.requiresPushedAuthorizationRequests()).isFalse();
        assertThat(provider.supportsRequestParam()).isTrue();
        assertThat(provider.supportsRequestURIParam()).isFalse();
        assertThat(provider.getRequestObjectJWSAlgs()).contains(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
                JWSAlgorithm.ES256);
    }

    @Test
    void pushedAuthenticationRequestToTokens() throws Exception {
        TestClient client = PushedRequests.create(administration, "nimbus-par", true, PushedRequests.keys(null, true));
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        State state = new State();
        AuthenticationRequest request = authenticationRequest(client, state, nonce, verifier).build();
        URI requestUri = push(client, request);
        AuthorizationCode code = authorize(client, requestUri, state);
        validate(client, tokens(client, code, verifier), nonce);
    }

    @Test
    void pushedSignedRequestObjectToTokens() throws Exception {
        RSAKey key = PushedRequests.newKey();
        TestClient client = PushedRequests.create(administration, "nimbus-jar", true, PushedRequests.keys(key, false));
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        State state = new State();
        JWTClaimsSet parameters = authenticationRequest(client, state, nonce, verifier).build().toJWTClaimsSet();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder(parameters)
                .issuer(client.clientId())
                .audience(provider.getIssuer().getValue())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT requestObject = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("oauth-authz-req+jwt")).build(), claims);
        requestObject.sign(new RSASSASigner(key));
        AuthorizationRequest byValue = new AuthorizationRequest.Builder(requestObject, new ClientID(client.clientId()))
                .build();
        assertThat(byValue.toParameters()).containsOnlyKeys("client_id", "request");

        URI requestUri = push(client, byValue);
        AuthorizationCode code = authorize(client, requestUri, state);
        validate(client, tokens(client, code, verifier), nonce);
    }

    private AuthenticationRequest.Builder authenticationRequest(TestClient client, State state, Nonce nonce,
            CodeVerifier verifier) {
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"),
                new ClientID(client.clientId()), URI.create(client.redirectUri()))
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
    }

    private URI push(TestClient client, AuthorizationRequest request) throws Exception {
        HTTPRequest http = new PushedAuthorizationRequest(provider.getPushedAuthorizationRequestEndpointURI(),
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.secret())), request)
                .toHTTPRequest();
        http.setHeader("X-Forwarded-For", TestAddresses.unique());
        PushedAuthorizationResponse response = PushedAuthorizationResponse.parse(http.send());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response.toHTTPResponse().getBody())).isTrue();
        PushedAuthorizationSuccessResponse success = response.toSuccessResponse();
        assertThat(success.getLifetime()).isBetween(50L, 60L);
        return success.getRequestURI();
    }

    private AuthorizationCode authorize(TestClient client, URI requestUri, State state) throws Exception {
        URI url = new AuthorizationRequest.Builder(requestUri, new ClientID(client.clientId()))
                .endpointURI(provider.getAuthorizationEndpointURI())
                .build()
                .toURI();
        Browser.Response callback = CodeFlow.run(new Browser(), url.toString(), email, PASSWORD);
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(callback.location()));
        assertThat(response.indicatesSuccess()).as(callback.location()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        assertThat(response.getIssuer()).isEqualTo(provider.getIssuer());
        return response.toSuccessResponse().getAuthorizationCode();
    }

    private OIDCTokens tokens(TestClient client, AuthorizationCode code, CodeVerifier verifier) throws Exception {
        TokenResponse response = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(client.clientId()), new Secret(client.secret())),
                new AuthorizationCodeGrant(code, URI.create(client.redirectUri()), verifier)).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        return ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
    }

    private void validate(TestClient client, OIDCTokens tokens, Nonce nonce) throws Exception {
        IDTokenValidator validator = new IDTokenValidator(provider.getIssuer(), new ClientID(client.clientId()),
                JWSAlgorithm.RS256, provider.getJWKSetURI().toURL());
        assertThat(validator.validate(tokens.getIDToken(), nonce).getAudience())
                .extracting(audience -> audience.getValue()).contains(client.clientId());
        assertThat(tokens.getAccessToken()).isNotNull();
    }
}
