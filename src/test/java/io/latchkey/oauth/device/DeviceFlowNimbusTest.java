package io.latchkey.oauth.device;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestAddresses;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent client, the Nimbus OAuth 2.0 SDK, drives the device flow against the running server: it finds the
 * endpoint in discovery, starts, polls while the user decides, and redeems the device code for tokens with an ID
 * token. The user's part is the activation page over HTTP.
 */
@IntegrationTest
class DeviceFlowNimbusTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "nimbus device passphrase 1";

    @Autowired
    private ClientAdministration administration;

    @Test
    void theNimbusSdkGetsTokensThroughTheDeviceFlow() throws Exception {
        String email = TestUsers.uniqueEmail("nimbus-device");
        UUID userId = createUser(email, PASSWORD);
        ClientAdministration.IssuedClient issued = administration.create(null, DeviceFlowTest.draft("Nimbus TV", true,
                List.of(DeviceFlow.GRANT_TYPE, "refresh_token")), ClientAdministration.ADMINISTERED, "test");
        ClientSecretBasic authentication = new ClientSecretBasic(new ClientID(issued.client().clientId()),
                new Secret(issued.secret()));
        String ip = TestAddresses.unique();

        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(TestServerInitializer.ISSUER));
        URI deviceEndpoint = metadata.getDeviceAuthorizationEndpointURI();
        assertThat(deviceEndpoint).isEqualTo(URI.create(TestServerInitializer.ISSUER + "/oauth2/device_authorization"));

        HTTPRequest start = new DeviceAuthorizationRequest(deviceEndpoint, authentication,
                new Scope("openid", "email"), null).toHTTPRequest();
        start.setHeader("X-Forwarded-For", ip);
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(start.send());
        assertThat(response.indicatesSuccess()).isTrue();
        DeviceAuthorizationSuccessResponse started = response.toSuccessResponse();
        assertThat(started.getVerificationURI()).isEqualTo(URI.create(TestServerInitializer.ISSUER + "/activate"));
        assertThat(started.getInterval()).isEqualTo(5);
        assertThat(started.getLifetime()).isBetween(590L, 600L);

        TokenRequest poll = new TokenRequest(metadata.getTokenEndpointURI(), authentication,
                new DeviceCodeGrant(started.getDeviceCode()));
        TokenResponse pending = send(poll, ip);
        assertThat(pending.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) pending).getErrorObject().getCode())
                .isEqualTo(DeviceAuthorizationGrantError.AUTHORIZATION_PENDING.getCode());
        TokenResponse tooSoon = send(poll, ip);
        assertThat(((TokenErrorResponse) tooSoon).getErrorObject().getCode())
                .isEqualTo(DeviceAuthorizationGrantError.SLOW_DOWN.getCode());

        Browser browser = new Browser();
        Browser.Response consent = DeviceFlow.consentPage(browser, started.getVerificationURIComplete().toString(),
                email, PASSWORD, ip);
        assertThat(DeviceFlow.answer(browser, consent, true).uri().getPath()).isEqualTo("/activate/done");

        TokenResponse tokens = send(poll, ip);
        assertThat(tokens.indicatesSuccess()).as(String.valueOf(tokens)).isTrue();
        OIDCTokenResponse oidc = (OIDCTokenResponse) tokens.toSuccessResponse();
        assertThat(oidc.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject()).isEqualTo(userId.toString());
        assertThat(oidc.getOIDCTokens().getIDToken().getJWTClaimsSet().getAudience())
                .containsExactly(issued.client().clientId());
        assertThat(oidc.getOIDCTokens().getRefreshToken()).isNotNull();
        AccessTokenResponse accessTokens = oidc;
        assertThat(accessTokens.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("openid", "email"));

        TokenResponse reused = send(poll, ip);
        assertThat(((TokenErrorResponse) reused).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    private static TokenResponse send(TokenRequest request, String ip) throws Exception {
        HTTPRequest http = request.toHTTPRequest();
        http.setHeader("X-Forwarded-For", ip);
        return OIDCTokenResponseParser.parse(http.send());
    }
}
