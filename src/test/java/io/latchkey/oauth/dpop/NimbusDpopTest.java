package io.latchkey.oauth.dpop;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Nimbus OAuth 2.0 SDK as a DPoP client of the running server: its proof factory, a token request that meets
 * {@code use_dpop_nonce} and is sent again with the server's nonce, then userinfo with the DPoP access token.
 */
@IntegrationTest
class NimbusDpopTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "nimbus dpop passphrase";

    @Autowired
    ClientAdministration clients;

    @Test
    void nimbusGetsABoundTokenAfterTheNonceAndReadsUserinfoWithIt() throws Exception {
        String clientId = "dpop-nimbus-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = clients.create(clientId, DpopTest.draft(true, List.of("password", "refresh_token"), true),
                ClientAdministration.ADMINISTERED, "test").secret();
        String email = TestUsers.uniqueEmail("nimbus-dpop");
        createUser(email, PASSWORD);

        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        URI tokenEndpoint = URI.create(TestServerInitializer.ISSUER + "/oauth2/token");
        TokenRequest request = new TokenRequest.Builder(tokenEndpoint,
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)),
                new ResourceOwnerPasswordCredentialsGrant(email, new Secret(PASSWORD)))
                .scope(new Scope("openid", "email"))
                .build();

        HTTPRequest first = request.toHTTPRequest();
        first.setDPoP(proofs.createDPoPJWT("POST", tokenEndpoint));
        HTTPResponse firstAnswer = first.send();
        TokenResponse refused = OIDCTokenResponseParser.parse(firstAnswer);
        assertThat(refused.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) refused).getErrorObject().getCode()).isEqualTo("use_dpop_nonce");
        Nonce nonce = firstAnswer.getDPoPNonce();
        assertThat(nonce).isNotNull();

        HTTPRequest second = request.toHTTPRequest();
        second.setDPoP(proofs.createDPoPJWT("POST", tokenEndpoint, nonce));
        HTTPResponse secondAnswer = second.send();
        TokenResponse issued = OIDCTokenResponseParser.parse(secondAnswer);
        assertThat(issued.indicatesSuccess()).as(secondAnswer.getBody()).isTrue();
        DPoPAccessToken accessToken = issued.toSuccessResponse().getTokens().getDPoPAccessToken();
        assertThat(accessToken).isNotNull();
        assertThat(accessToken.getType()).isEqualTo(AccessTokenType.DPOP);
        assertThat(DpopTest.jkt(accessToken.getValue())).isEqualTo(key.computeThumbprint().toString());

        URI userInfo = URI.create(DpopTest.USERINFO);
        Nonce current = secondAnswer.getDPoPNonce() != null ? secondAnswer.getDPoPNonce() : nonce;
        HTTPRequest userInfoRequest = new UserInfoRequest(userInfo, accessToken).toHTTPRequest();
        userInfoRequest.setDPoP(proofs.createDPoPJWT("GET", userInfo, accessToken, current));
        HTTPResponse userInfoAnswer = userInfoRequest.send();
        UserInfoResponse answer = UserInfoResponse.parse(userInfoAnswer);
        assertThat(answer.indicatesSuccess()).as(userInfoAnswer.getBody()).isTrue();
        assertThat(answer.toSuccessResponse().getUserInfo().getEmailAddress()).isEqualTo(email);
    }
}
