package io.latchkey.oauth.clientauth;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Nimbus OAuth 2.0 SDK authenticates with {@code private_key_jwt} as any client library would: its assertions
 * carry no {@code iat}, and its requests no {@code client_id}.
 */
@IntegrationTest
class NimbusPrivateKeyJwtTest {

    @Autowired
    ClientAdministration administration;

    @Test
    void nimbusClientCredentialsWithPrivateKeyJwt() throws Exception {
        String clientId = "nimbus-pkjwt-" + UUID.randomUUID();
        administration.create(clientId, new ClientDraft("Nimbus key client", false, List.of("client_credentials"),
                null, null, List.of("api.read"), null, null, null, null, null, null, null)
                .withExtensions(Assertions.inlineKeys(Assertions.RSA)), ClientAdministration.ADMINISTERED, "test");
        URI tokenEndpoint = URI.create(Assertions.TOKEN_ENDPOINT);

        TokenResponse response = tokenRequest(new PrivateKeyJWT(new ClientID(clientId), tokenEndpoint,
                JWSAlgorithm.RS256, Assertions.RSA.toRSAPrivateKey(), Assertions.RSA.getKeyID(), null), tokenEndpoint);
        assertThat(response.indicatesSuccess()).as(() -> response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject().toString()).isTrue();
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(token.getValue()).isNotBlank();
        assertThat(token.getScope()).isEqualTo(new Scope("api.read"));

        TokenResponse wrongKey = tokenRequest(new PrivateKeyJWT(new ClientID(clientId), tokenEndpoint,
                JWSAlgorithm.RS256, Assertions.OTHER_RSA.toRSAPrivateKey(), Assertions.RSA.getKeyID(), null),
                tokenEndpoint);
        assertThat(wrongKey.indicatesSuccess()).isFalse();
        TokenErrorResponse error = wrongKey.toErrorResponse();
        assertThat(error.getErrorObject().getHTTPStatusCode()).isEqualTo(401);
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    private static TokenResponse tokenRequest(PrivateKeyJWT authentication, URI tokenEndpoint) throws Exception {
        TokenRequest request = new TokenRequest(tokenEndpoint, authentication, new ClientCredentialsGrant(),
                new Scope("api.read"));
        return TokenResponse.parse(request.toHTTPRequest().send());
    }
}
