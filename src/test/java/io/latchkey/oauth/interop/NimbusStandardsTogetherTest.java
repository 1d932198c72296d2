package io.latchkey.oauth.interop;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestAddresses;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standards of issue 16 at once, driven by a client library no one here wrote (the Nimbus OAuth 2.0 SDK) as a
 * high-security client would use them: a client that must push its requests (RFC 9126), authenticates with its key
 * (private_key_jwt, RFC 7523) everywhere, gets DPoP-bound tokens (RFC 9449; the test server asks for nonces) and
 * sees a pairwise subject (OpenID Connect Core 8). Each standard alone is tested in its own package.
 */
@IntegrationTest
class NimbusStandardsTogetherTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "nimbus all standards passphrase";
    private static final String REDIRECT = "http://127.0.0.1/nimbus-standards";

    @Autowired
    private ClientAdministration administration;

    @Test
    void pushedRequestKeyAuthenticationDpopAndPairwiseSubjectsWorkTogether() throws Exception {
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new Issuer(TestServerInitializer.ISSUER));
        RSAKey clientKey = new RSAKeyGenerator(2048).keyID("nimbus-standards").generate();
        String clientId = "nimbus-standards-" + UUID.randomUUID().toString().substring(0, 8);
        administration.create(clientId, new ClientDraft("Standards", false,
                List.of("authorization_code", "refresh_token"), List.of(REDIRECT), List.of(),
                List.of("openid", "email"), true, false, null, null, null, null, null,
                new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, null,
                        new JWKSet(clientKey.toPublicJWK()).toString(), true, true, ClientExtensions.PAIRWISE_SUBJECT,
                        null, null, null)), ClientAdministration.ADMINISTERED, "test");
        String email = TestUsers.uniqueEmail("nimbus-standards");
        String internalSubject = createUser(email, PASSWORD).toString();
        ClientID client = new ClientID(clientId);
        URI tokenEndpoint = provider.getTokenEndpointURI();
        // RFC 7523 section 3: the issuer identifies the server to every endpoint (FAPI 2.0 asks for exactly that)
        URI issuer = URI.create(provider.getIssuer().getValue());

        // a plain authorization request is refused: this client must push
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        State state = new State();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "email"), client, URI.create(REDIRECT))
                .endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
        Browser.Response plain = CodeFlow.run(new Browser(), request.toURI().toString(), email, PASSWORD);
        assertThat(AuthorizationResponse.parse(URI.create(plain.location())).indicatesSuccess()).isFalse();

        // pushed, authenticated with the client's key
        HTTPRequest push = new PushedAuthorizationRequest(provider.getPushedAuthorizationRequestEndpointURI(),
                assertion(client, clientKey, issuer), request)
                .toHTTPRequest();
        push.setHeader("X-Forwarded-For", TestAddresses.unique());
        PushedAuthorizationResponse pushed = PushedAuthorizationResponse.parse(push.send());
        assertThat(pushed.indicatesSuccess()).as(String.valueOf(pushed.toHTTPResponse().getBody())).isTrue();
        URI authorize = new AuthorizationRequest.Builder(pushed.toSuccessResponse().getRequestURI(), client)
                .endpointURI(provider.getAuthorizationEndpointURI()).build().toURI();
        Browser.Response callback = CodeFlow.run(new Browser(), authorize.toString(), email, PASSWORD);
        AuthorizationResponse answer = AuthorizationResponse.parse(URI.create(callback.location()));
        assertThat(answer.indicatesSuccess()).as(callback.location()).isTrue();
        assertThat(answer.getState()).isEqualTo(state);
        AuthorizationCode code = answer.toSuccessResponse().getAuthorizationCode();

        // the code for DPoP-bound tokens, again with the client's key; the server asks for its nonce first
        ECKey proofKey = new ECKeyGenerator(Curve.P_256).generate();
        DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(proofKey, JWSAlgorithm.ES256);
        HTTPResponse tokens = withNonce(() -> new TokenRequest(tokenEndpoint, assertion(client, clientKey, issuer),
                new AuthorizationCodeGrant(code, URI.create(REDIRECT), verifier)), proofs, tokenEndpoint);
        OIDCTokenResponse issued = (OIDCTokenResponse) OIDCTokenResponseParser.parse(tokens).toSuccessResponse();
        DPoPAccessToken accessToken = issued.getTokens().getDPoPAccessToken();
        assertThat(accessToken.getType()).isEqualTo(AccessTokenType.DPOP);

        // the ID token names the user by a subject of this client's own, valid for Nimbus
        var idToken = new IDTokenValidator(provider.getIssuer(), client, JWSAlgorithm.RS256,
                provider.getJWKSetURI().toURL()).validate(issued.getOIDCTokens().getIDToken(), nonce);
        String pairwise = idToken.getSubject().getValue();
        assertThat(pairwise).isNotEqualTo(internalSubject);

        // userinfo honours the binding and tells the same subject
        URI userInfo = provider.getUserInfoEndpointURI();
        HTTPRequest read = new UserInfoRequest(userInfo, accessToken).toHTTPRequest();
        read.setDPoP(proofs.createDPoPJWT("GET", userInfo, accessToken, tokens.getDPoPNonce()));
        HTTPResponse readAnswer = read.send();
        UserInfoResponse info = UserInfoResponse.parse(readAnswer);
        assertThat(info.indicatesSuccess()).as(readAnswer.getBody()).isTrue();
        assertThat(info.toSuccessResponse().getUserInfo().getSubject().getValue()).isEqualTo(pairwise);
        assertThat(info.toSuccessResponse().getUserInfo().getEmailAddress()).isEqualTo(email);

        // a refresh with the client's key and a new proof gives another bound token
        RefreshToken refreshToken = issued.getTokens().getRefreshToken();
        HTTPResponse refreshed = withNonce(() -> new TokenRequest(tokenEndpoint, assertion(client, clientKey, issuer),
                new RefreshTokenGrant(refreshToken)), proofs, tokenEndpoint);
        TokenResponse again = OIDCTokenResponseParser.parse(refreshed);
        assertThat(again.indicatesSuccess()).as(refreshed.getBody()).isTrue();
        assertThat(again.toSuccessResponse().getTokens().getDPoPAccessToken()).isNotNull();
    }

    /** A new client assertion each time: the server takes each one once. */
    private static PrivateKeyJWT assertion(ClientID client, RSAKey key, URI audience) {
        try {
            return new PrivateKeyJWT(client, audience, JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Sends a request with a proof; when the server asks for its nonce, a new request (a new client assertion) with
     * a new proof carrying it.
     */
    private static HTTPResponse withNonce(Supplier<TokenRequest> requests, DefaultDPoPProofFactory proofs, URI endpoint)
            throws Exception {
        HTTPRequest first = requests.get().toHTTPRequest();
        first.setDPoP(proofs.createDPoPJWT("POST", endpoint));
        HTTPResponse answer = first.send();
        TokenResponse parsed = OIDCTokenResponseParser.parse(answer);
        if (parsed.indicatesSuccess()
                || !"use_dpop_nonce".equals(((TokenErrorResponse) parsed).getErrorObject().getCode())) {
            return answer;
        }
        HTTPRequest second = requests.get().toHTTPRequest();
        second.setDPoP(proofs.createDPoPJWT("POST", endpoint, answer.getDPoPNonce()));
        return second.send();
    }
}
