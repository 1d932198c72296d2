package io.latchkey.oauth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Date;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.MOBILE_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_CLIENT;
import static io.latchkey.support.TestServerInitializer.PUBLIC_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second relying-party implementation that no one here wrote, the Nimbus OAuth 2.0 SDK with OpenID
 * Connect extensions, builds the requests, parses every response and validates every ID token Latchkey
 * issues on every path (code, refresh, password grant and its refresh, API sign-in and refresh, public
 * client code flow and refresh): signature, issuer, audience, times, nonce, {@code at_hash}.
 */
@IntegrationTest
class NimbusRelyingPartyTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "nimbus relying party passphrase";

    private static OIDCProviderMetadata provider;

    private String email;
    private String subject;

    @BeforeEach
    void discoverAndCreateUser() throws Exception {
        // here, not in @BeforeAll: the server starts with the first test's application context
        if (provider == null) {
            provider = OIDCProviderMetadata.resolve(new Issuer(ISSUER));
        }
        email = TestUsers.uniqueEmail("nimbus");
        subject = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Ida Nimbus").toString();
    }

    @Test
    void discoveryDocumentParsesAndNamesTheEndpoints() {
        assertThat(provider.getIssuer().getValue()).isEqualTo(ISSUER);
        assertThat(provider.getAuthorizationEndpointURI()).hasToString(ISSUER + "/oauth2/authorize");
        assertThat(provider.getTokenEndpointURI()).hasToString(ISSUER + "/oauth2/token");
        assertThat(provider.getUserInfoEndpointURI()).hasToString(ISSUER + "/userinfo");
        assertThat(provider.getIntrospectionEndpointURI()).hasToString(ISSUER + "/oauth2/introspect");
        assertThat(provider.getJWKSetURI()).hasToString(ISSUER + "/oauth2/jwks");
        assertThat(provider.getIDTokenJWSAlgs()).contains(JWSAlgorithm.RS256);
        assertThat(provider.getCodeChallengeMethods()).contains(CodeChallengeMethod.S256);
        assertThat(provider.supportsAuthorizationResponseIssuerParam()).isTrue();
    }

    @Test
    void confidentialClientCodeFlowAndRefresh() throws Exception {
        ClientSecretBasic auth = new ClientSecretBasic(new ClientID(CONFIDENTIAL_CLIENT), new Secret(CONFIDENTIAL_SECRET));
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = authorize(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, nonce, verifier);

        OIDCTokens tokens = tokens(new TokenRequest(provider.getTokenEndpointURI(), auth,
                new AuthorizationCodeGrant(code, URI.create(CONFIDENTIAL_REDIRECT), verifier)));
        IDTokenClaimsSet idToken = validate(CONFIDENTIAL_CLIENT, tokens, nonce);
        assertThat(idToken.getSessionID()).isNotNull();
        checkUserInfoAndIntrospection(tokens.getAccessToken(), auth);

        OIDCTokens refreshed = tokens(new TokenRequest(provider.getTokenEndpointURI(), auth,
                new RefreshTokenGrant(tokens.getRefreshToken())));
        IDTokenClaimsSet refreshedIdToken = validate(CONFIDENTIAL_CLIENT, refreshed, null);
        assertThat(refreshedIdToken.getAuthenticationTime()).isEqualTo(idToken.getAuthenticationTime());
        assertThat(refreshedIdToken.getSessionID()).isEqualTo(idToken.getSessionID());
        checkUserInfoAndIntrospection(refreshed.getAccessToken(), auth);
    }

    @Test
    void publicClientCodeFlowAndRefresh() throws Exception {
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = authorize(PUBLIC_CLIENT, PUBLIC_REDIRECT, nonce, verifier);
        OIDCTokens tokens = tokens(new TokenRequest(provider.getTokenEndpointURI(), new ClientID(PUBLIC_CLIENT),
                new AuthorizationCodeGrant(code, URI.create(PUBLIC_REDIRECT), verifier)));
        IDTokenClaimsSet idToken = validate(PUBLIC_CLIENT, tokens, nonce);
        assertThat(tokens.getRefreshToken()).as("a public client gets a refresh token").isNotNull();

        OIDCTokens refreshed = tokens(new TokenRequest(provider.getTokenEndpointURI(), new ClientID(PUBLIC_CLIENT),
                new RefreshTokenGrant(tokens.getRefreshToken())));
        assertThat(validate(PUBLIC_CLIENT, refreshed, null).getAuthenticationTime())
                .isEqualTo(idToken.getAuthenticationTime());
        assertThat(refreshed.getRefreshToken()).isNotEqualTo(tokens.getRefreshToken());
    }

    @Test
    void passwordGrantAndRefresh() throws Exception {
        ClientSecretBasic auth = new ClientSecretBasic(new ClientID(FIRST_PARTY_CLIENT), new Secret(FIRST_PARTY_SECRET));
        OIDCTokens tokens = tokens(new TokenRequest(provider.getTokenEndpointURI(), auth,
                new ResourceOwnerPasswordCredentialsGrant(email, new Secret(PASSWORD)), new Scope("openid", "email")));
        IDTokenClaimsSet idToken = validate(FIRST_PARTY_CLIENT, tokens, null);
        checkUserInfoAndIntrospection(tokens.getAccessToken(), auth);
        OIDCTokens refreshed = tokens(new TokenRequest(provider.getTokenEndpointURI(), auth,
                new RefreshTokenGrant(tokens.getRefreshToken())));
        assertThat(validate(FIRST_PARTY_CLIENT, refreshed, null).getAuthenticationTime())
                .isEqualTo(idToken.getAuthenticationTime());
    }

    @Test
    void apiSignInAndRefreshResponsesAreTokenResponses() throws Exception {
        Browser http = new Browser();
        Browser.Response login = http.send(HttpRequest.newBuilder(http.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email + "\",\"password\":\"" + PASSWORD
                        + "\",\"scope\":\"openid email\"}"))
                .build());
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        OIDCTokens tokens = OIDCTokenResponse.parse(JSONObjectUtils.parse(login.body())).getOIDCTokens();
        IDTokenClaimsSet idToken = validate(MOBILE_CLIENT, tokens, null);

        Browser.Response refresh = http.send(HttpRequest.newBuilder(http.resolve("/api/v1/auth/refresh"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"refresh_token\":\"" + tokens.getRefreshToken().getValue() + "\"}"))
                .build());
        assertThat(refresh.status()).as(refresh.body()).isEqualTo(200);
        OIDCTokens refreshed = OIDCTokenResponse.parse(JSONObjectUtils.parse(refresh.body())).getOIDCTokens();
        assertThat(validate(MOBILE_CLIENT, refreshed, null).getAuthenticationTime())
                .isEqualTo(idToken.getAuthenticationTime());
    }

    @Test
    void clientCredentialsResponseAndIntrospection() throws Exception {
        ClientSecretBasic auth = new ClientSecretBasic(new ClientID(CONFIDENTIAL_CLIENT), new Secret(CONFIDENTIAL_SECRET));
        TokenResponse response = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), auth,
                new ClientCredentialsGrant(), new Scope("api.read")).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as("client credentials token response").isTrue();
        AccessToken accessToken = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(accessToken.getLifetime()).isPositive();
        TokenIntrospectionSuccessResponse introspection = introspect(accessToken, auth);
        assertThat(introspection.getClientID().getValue()).isEqualTo(CONFIDENTIAL_CLIENT);
        assertThat(introspection.getScope()).isEqualTo(new Scope("api.read"));
    }

    private AuthorizationCode authorize(String clientId, String redirectUri, Nonce nonce, CodeVerifier verifier)
            throws Exception {
        State state = new State();
        URI request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email", "profile"),
                new ClientID(clientId), URI.create(redirectUri))
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        Browser.Response callback = CodeFlow.run(new Browser(), request.toString(), email, PASSWORD);
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(callback.location()));
        assertThat(response.indicatesSuccess()).as(callback.location()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        assertThat(response.getIssuer()).isEqualTo(provider.getIssuer());
        return response.toSuccessResponse().getAuthorizationCode();
    }

    private static OIDCTokens tokens(TokenRequest request) throws Exception {
        TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        return ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
    }

    /** Nimbus's ID token validation, plus at_hash, auth_time and the subject. */
    private IDTokenClaimsSet validate(String clientId, OIDCTokens tokens, Nonce nonce) throws Exception {
        JWT idToken = tokens.getIDToken();
        assertThat(idToken).as("an ID token").isNotNull();
        IDTokenValidator validator = new IDTokenValidator(provider.getIssuer(), new ClientID(clientId),
                JWSAlgorithm.RS256, provider.getJWKSetURI().toURL());
        IDTokenClaimsSet claims = validator.validate(idToken, nonce);
        assertThat(claims.getSubject().getValue()).isEqualTo(subject);
        assertThat(claims.getAuthorizedParty().getValue()).isEqualTo(clientId);
        Date authTime = claims.getAuthenticationTime();
        assertThat(authTime).as("auth_time").isNotNull().isBefore(new Date(System.currentTimeMillis() + 5_000));
        assertThat(claims.getAccessTokenHash()).as("at_hash").isNotNull();
        AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.RS256, claims.getAccessTokenHash());
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        return claims;
    }

    private void checkUserInfoAndIntrospection(AccessToken accessToken, ClientSecretBasic auth) throws Exception {
        UserInfoResponse userInfoResponse = UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(),
                new BearerAccessToken(accessToken.getValue())).toHTTPRequest().send());
        assertThat(userInfoResponse.indicatesSuccess()).as(String.valueOf(userInfoResponse)).isTrue();
        UserInfo userInfo = userInfoResponse.toSuccessResponse().getUserInfo();
        assertThat(userInfo.getSubject().getValue()).isEqualTo(subject);
        assertThat(userInfo.getEmailAddress()).isEqualTo(email);
        assertThat(userInfo.getEmailVerified()).isTrue();

        TokenIntrospectionSuccessResponse introspection = introspect(accessToken, auth);
        assertThat(introspection.getSubject().getValue()).isEqualTo(subject);
        assertThat(introspection.getScope().contains("openid")).isTrue();
    }

    private TokenIntrospectionSuccessResponse introspect(AccessToken accessToken, ClientSecretBasic auth)
            throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                provider.getIntrospectionEndpointURI(), auth, accessToken).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        TokenIntrospectionSuccessResponse success = response.toSuccessResponse();
        assertThat(success.isActive()).isTrue();
        assertThat(success.getExpirationTime()).isAfter(new Date());
        assertThat(success.getIssueTime()).isBefore(new Date(System.currentTimeMillis() + 5_000));
        assertThat(success.getTokenType()).isNotNull();
        return success;
    }
}
