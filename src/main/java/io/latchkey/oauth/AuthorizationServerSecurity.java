package io.latchkey.oauth;

import java.time.Clock;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerMetadataEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2ClientAuthenticationConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2PushedAuthorizationRequestEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2TokenEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2TokenIntrospectionEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OidcConfigurer;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.servlet.LocaleResolver;

import io.latchkey.account.PasswordChangeRequired;
import io.latchkey.account.SecondFactorEnrolmentRequired;
import io.latchkey.account.Permissions;
import io.latchkey.account.UserDirectory;
import io.latchkey.client.ClientSecretVerifier;
import io.latchkey.http.SecurityHeaders;
import io.latchkey.keys.KeysProperties;
import io.latchkey.oauth.authorize.AuthorizationRequestChecks;
import io.latchkey.account.Passkeys;
import io.latchkey.account.SecondFactor;
import io.latchkey.oauth.challenge.AuthorizationChallenge;
import io.latchkey.oauth.dpop.Dpop;
import io.latchkey.oauth.device.DeviceGrant;
import io.latchkey.oauth.jar.RequestObjects;
import io.latchkey.oauth.par.PushedAuthorizationRequests;
import io.latchkey.oauth.clientauth.PrivateKeyJwtAuthentication;
import io.latchkey.oauth.password.PasswordGrant;
import io.latchkey.oauth.exchange.TokenExchange;
import io.latchkey.oauth.refresh.RefreshGrant;
import io.latchkey.oauth.resource.AccessTokenAudience;
import io.latchkey.oauth.resource.ResourceAtAuthorization;
import io.latchkey.oauth.resource.ResourceIndicators;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.runtime.Issuer;
import io.latchkey.runtime.ProductionCookies;
import io.latchkey.session.SavedRequests;
import io.latchkey.tokens.TokenActivity;
import io.latchkey.tokens.TokensProperties;

/**
 * The security filter chain of the OAuth 2 and OpenID Connect endpoints, one method per endpoint. Each rule it
 * adds is its own class: the authorization endpoint's checks are listed in {@link AuthorizationRequestChecks};
 * client authentication is {@link PublicClientIdentification} and {@link ClientSecretAttempts}; then
 * {@link OwnTokenIntrospection}, {@link AdvertisedCapabilities}, {@link UserInfoClaims}, {@link OAuthEntryPoints},
 * {@link RateLimitedOAuthErrors}, {@link SingleValuedParameters}; the tokens every grant issues are
 * {@link UserTokenClaims}, {@link SessionIdTokens} and {@link RefreshGrant#rotatingTokens}; the resources a token
 * is for (RFC 8707) are {@code io.latchkey.oauth.resource}.
 *
 * <p>The grants, each in one place (the list of grant types a client may declare and discovery advertises is
 * {@link io.latchkey.client.SupportedGrantTypes}):
 * <ul>
 * <li>{@code authorization_code}: the framework's; Latchkey's rules are those of the authorization endpoint,
 * {@code io.latchkey.oauth.authorize} ({@link AuthorizationRequestChecks}).</li>
 * <li>{@code refresh_token}: the framework's; rotation, the family's lifetime and reuse detection are
 * {@code io.latchkey.oauth.refresh} ({@link RefreshGrant}).</li>
 * <li>{@code client_credentials}: the framework's, unchanged; stateless tokens are the token store's
 * ({@code io.latchkey.tokens}).</li>
 * <li>{@code password}: Latchkey's own, {@code io.latchkey.oauth.password} ({@link PasswordGrant}); the
 * first-party API uses it too ({@link FirstPartyTokens}).</li>
 * <li>{@code urn:ietf:params:oauth:grant-type:device_code}: the framework's three endpoints with Latchkey's rules
 * and the hosted activation page, {@code io.latchkey.oauth.device} ({@link DeviceGrant}).</li>
 * <li>{@code urn:ietf:params:oauth:grant-type:token-exchange}: the framework's request, Latchkey's rules,
 * {@code io.latchkey.oauth.exchange} ({@link TokenExchange}).</li>
 * </ul>
 * The authorization challenge endpoint of first-party apps is {@code io.latchkey.oauth.challenge}
 * ({@link AuthorizationChallenge}); its codes are redeemed by the {@code authorization_code} grant.
 * DPoP-bound tokens (RFC 9449) at every grant, at userinfo and at the API are {@code io.latchkey.oauth.dpop}
 * ({@link Dpop}). Pushed authorization requests (RFC 9126) are {@code io.latchkey.oauth.par}
 * ({@link PushedAuthorizationRequests}), request objects (RFC 9101) {@code io.latchkey.oauth.jar}
 * ({@link RequestObjects}), {@code private_key_jwt} {@code io.latchkey.oauth.clientauth}
 * ({@link PrivateKeyJwtAuthentication}), pairwise subjects {@code io.latchkey.oauth.pairwise} (through
 * {@link SubjectIdentifiers}), resource indicators and typed access tokens {@code io.latchkey.oauth.resource}.
 * A new grant gets its own subpackage here, its grant type in {@code SupportedGrantTypes}, its converter and
 * provider in {@link #tokenEndpoint}, and any token type it stores in the token store's {@code StoredTokenType}.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerSecurity {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServerFilterChain(HttpSecurity http, AuthorizationServerSettings settings,
            Issuer issuer, SavedRequests saved, AuthorizationRequestChecks authorizationChecks,
            RegisteredClientRepository clients, ClientSecretVerifier secrets, CredentialGuard guard,
            OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
            AuthenticationProvider passwordSignIn, ApplicationEventPublisher events, KeysProperties keys,
            UserDirectory users, PasswordChangeRequired passwordChangeRequired,
            SecondFactorEnrolmentRequired enrolmentRequired, AuthorizationChallenge challenge, Clock clock,
            TokenActivity tokenActivity, Dpop dpop, DeviceGrant deviceGrant,
            PushedAuthorizationRequests pushedRequests, RequestObjects requestObjects,
            PrivateKeyJwtAuthentication privateKeyJwt, SubjectIdentifiers subjects,
            TokenExchange exchange) throws Exception {
        TokenRefusals refusals = new TokenRefusals(tokenActivity, clients, settings.getTokenEndpoint());
        RequestCache authorizationRequests = OAuthEntryPoints.authorizationRequestCache(settings, saved);
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(OAuthEntryPoints.endpointsOf(server.getEndpointsMatcher()));
            server.authorizationService(authorizations)
                    .tokenGenerator(tokenGenerator)
                    .authorizationEndpoint(authorizationEndpoint(authorizationChecks, issuer, authorizationRequests,
                            pushedRequests, requestObjects))
                    .pushedAuthorizationRequestEndpoint(pushedAuthorizationRequestEndpoint(authorizationChecks,
                            authorizations, pushedRequests, requestObjects))
                    .clientAuthentication(clientAuthentication(clients, secrets, guard, authorizations, clock, refusals,
                            pushedRequests, privateKeyJwt, settings))
                    .tokenEndpoint(tokenEndpoint(passwordSignIn, events, authorizations, tokenGenerator, refusals,
                            deviceGrant, exchange))
                    .deviceAuthorizationEndpoint(deviceGrant.authorizationEndpoint(authorizations))
                    .deviceVerificationEndpoint(deviceGrant.verificationEndpoint())
                    .tokenIntrospectionEndpoint(AuthorizationServerSecurity::introspectionOfOwnTokens)
                    .authorizationServerMetadataEndpoint(metadata(keys))
                    .oidc(openIdConnect(keys, users, clients, subjects));
        });
        return aroundTheEndpoints(http, settings, authorizationRequests)
                // a signed-in user who must replace their password gets no code before they do
                .addFilterAfter(passwordChangeRequired.gate(), SecurityContextHolderFilter.class)
                .addFilterAfter(enrolmentRequired.gate(), SecurityContextHolderFilter.class)
                // a machine endpoint with client authentication of its own: no CSRF token, no session
                .addFilterBefore(challenge.endpoint(clientSecrets(clients, secrets, guard, authorizations, clock)),
                        CsrfFilter.class)
                // DPoP (RFC 9449): a token request's proof once its client is known, a bound token at userinfo
                .addFilterBefore(dpop.tokenEndpointProofs(PathPatternRequestMatcher.withDefaults()
                        .matcher(HttpMethod.POST, settings.getTokenEndpoint())), AuthorizationFilter.class)
                .addFilterBefore(dpop.resourceProofs(PathPatternRequestMatcher.withDefaults()
                        .matcher(settings.getOidcUserInfoEndpoint())), AbstractPreAuthenticatedProcessingFilter.class)
                // pushed requests counted per client IP before any client is authenticated (RFC 9126)
                .addFilterBefore(pushedRequests.perIpLimit(settings), AbstractPreAuthenticatedProcessingFilter.class)
                // request objects (RFC 9101): verified and unpacked in front of the endpoints; at the PAR endpoint
                // once the client is authenticated, since that is the client whose keys verify it
                .addFilterBefore(requestObjects.atAuthorizationEndpoint(settings),
                        AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterAfter(requestObjects.atPushedAuthorizationEndpoint(settings), AuthorizationFilter.class)
                .build();
    }

    /** The authorization endpoint: the checks of {@link AuthorizationRequestChecks}, our consent page, our answers. */
    private static Customizer<OAuth2AuthorizationEndpointConfigurer> authorizationEndpoint(
            AuthorizationRequestChecks checks, Issuer issuer, RequestCache authorizationRequests,
            PushedAuthorizationRequests pushedRequests, RequestObjects requestObjects) {
        var responder = checks.responder(issuer.url(), authorizationRequests);
        return authorization -> authorization
                .consentPage(OAuthEntryPoints.CONSENT_PAGE)
                .authorizationResponseHandler(responder)
                .errorResponseHandler(responder)
                .authenticationProviders(providers -> providers.forEach(provider -> {
                    if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
                        checks.applyTo(codeRequests, requestObjects.unprocessed()
                                .andThen(pushedRequests.requiredWhereTheClientSaysSo()));
                    }
                }));
    }

    /**
     * The PAR endpoint (RFC 9126, {@link PushedAuthorizationRequests}): the request checked as at the authorization
     * endpoint, as far as that can be without a user; the rest is checked when its {@code request_uri} is used.
     */
    private static Customizer<OAuth2PushedAuthorizationRequestEndpointConfigurer> pushedAuthorizationRequestEndpoint(
            AuthorizationRequestChecks checks, OAuth2AuthorizationService authorizations,
            PushedAuthorizationRequests pushedRequests, RequestObjects requestObjects) {
        return pushedRequests.endpoint(authorizations, requestObjects.unprocessed().andThen(checks.requestChecks()));
    }


    /**
     * The token endpoint: the framework's grants, the password grant ({@link PasswordGrant}), the device code
     * grant's pace and single use ({@link DeviceGrant}), and token exchange read by the framework but answered by
     * Latchkey's rules ({@link TokenExchange}).
     */
    private static Customizer<OAuth2TokenEndpointConfigurer> tokenEndpoint(AuthenticationProvider passwordSignIn,
            ApplicationEventPublisher events, OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<OAuth2Token> tokenGenerator, TokenRefusals refusals, DeviceGrant deviceGrant,
            TokenExchange exchange) {
        return token -> token
                .errorResponseHandler(RateLimitedOAuthErrors.ofTokenEndpoint(authorizations, refusals))
                .accessTokenRequestConverter(PasswordGrant.requestConverter())
                .authenticationProvider(PasswordGrant.provider(passwordSignIn, authorizations, tokenGenerator, events))
                .authenticationProviders(providers -> {
                    providers.replaceAll(provider -> provider instanceof OAuth2RefreshTokenAuthenticationProvider
                            ? Dpop.refreshKeyBinding(provider)
                            : provider instanceof OAuth2TokenExchangeAuthenticationProvider
                                    ? exchange.provider(tokenGenerator) : provider);
                    deviceGrant.tokenEndpointProviders(authorizations, tokenGenerator).accept(providers);
                });
    }

    /**
     * Client authentication at the token, introspection, revocation and PAR endpoints: public clients by
     * {@code client_id} alone where that is allowed ({@link PublicClientIdentification}), secrets counted against
     * guessing ({@link ClientSecretAttempts}), signed client assertions ({@code private_key_jwt},
     * {@link PrivateKeyJwtAuthentication}), and a 429 over the limit ({@link RateLimitedOAuthErrors}).
     */
    private static Customizer<OAuth2ClientAuthenticationConfigurer> clientAuthentication(
            RegisteredClientRepository clients, ClientSecretVerifier secrets, CredentialGuard guard,
            OAuth2AuthorizationService authorizations, Clock clock, TokenRefusals refusals,
            PushedAuthorizationRequests pushedRequests, PrivateKeyJwtAuthentication privateKeyJwt,
            AuthorizationServerSettings settings) {
        return authentication -> authentication
                .authenticationConverter(PublicClientIdentification.converter(settings))
                .authenticationConverter(privateKeyJwt.converter())
                .authenticationProvider(PublicClientIdentification.provider(clients))
                // public clients push their requests with their client_id alone (PushedAuthorizationRequests)
                .authenticationConverter(pushedRequests.publicClients(settings))
                .authenticationProvider(pushedRequests.publicClientProvider())
                .authenticationProviders(providers -> providers.replaceAll(provider -> {
                    if (provider instanceof ClientSecretAuthenticationProvider secretProvider) {
                        secretProvider.setPasswordEncoder(secrets);
                        return new ClientSecretAttempts(
                                new RotatedClientSecrets(secretProvider, clients, authorizations, secrets, clock),
                                clients, guard);
                    }
                    if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                        return privateKeyJwt.configure(assertions);
                    }
                    return provider;
                }))
                .errorResponseHandler(RateLimitedOAuthErrors.ofClientAuthentication(refusals));
    }

    /**
     * The client secrets of the authorization challenge endpoint ({@link AuthorizationChallenge}): checked and counted
     * exactly as at the token endpoint.
     */
    private static AuthenticationProvider clientSecrets(RegisteredClientRepository clients,
            ClientSecretVerifier secrets, CredentialGuard guard, OAuth2AuthorizationService authorizations, Clock clock) {
        ClientSecretAuthenticationProvider secretProvider = new ClientSecretAuthenticationProvider(clients,
                authorizations);
        secretProvider.setPasswordEncoder(secrets);
        return new ClientSecretAttempts(new RotatedClientSecrets(secretProvider, clients, authorizations, secrets, clock),
                clients, guard);
    }

    /** Introspection answers a client only about its own tokens ({@link OwnTokenIntrospection}). */
    private static void introspectionOfOwnTokens(OAuth2TokenIntrospectionEndpointConfigurer introspection) {
        introspection.authenticationProviders(providers -> providers.replaceAll(provider ->
                provider instanceof OAuth2TokenIntrospectionAuthenticationProvider
                        ? new OwnTokenIntrospection(provider) : provider));
    }

    /** OAuth metadata (RFC 8414): what Latchkey offers ({@link AdvertisedCapabilities}). */
    private static Customizer<OAuth2AuthorizationServerMetadataEndpointConfigurer> metadata(KeysProperties keys) {
        return metadata -> metadata.authorizationServerMetadataCustomizer(
                builder -> builder.claims(claims -> AdvertisedCapabilities.applyTo(claims, keys.algorithm())));
    }

    /** OpenID Connect: discovery as the OAuth metadata, userinfo with {@link UserInfoClaims}. */
    private static Customizer<OidcConfigurer> openIdConnect(KeysProperties keys, UserDirectory users,
            RegisteredClientRepository clients, SubjectIdentifiers subjects) {
        return oidc -> oidc
                .providerConfigurationEndpoint(provider -> provider.providerConfigurationCustomizer(
                        builder -> builder.claims(claims -> AdvertisedCapabilities.applyTo(claims, keys.algorithm()))))
                .userInfoEndpoint(userInfo -> userInfo.authenticationProviders(providers -> providers.forEach(provider -> {
                    if (provider instanceof OidcUserInfoAuthenticationProvider userInfoProvider) {
                        userInfoProvider.setUserInfoMapper(new UserInfoClaims(users, clients, subjects));
                    }
                })));
    }

    /**
     * Around the endpoints: CORS, every request authenticated, a Bearer token at userinfo, who is asked to sign in
     * and how ({@link OAuthEntryPoints}), the authorization request kept while the user does, one value per
     * parameter, a logout naming no application sent to the sign-out page ({@link LogoutWithoutAnApplication}), the
     * security headers.
     */
    private static HttpSecurity aroundTheEndpoints(HttpSecurity http, AuthorizationServerSettings settings,
            RequestCache authorizationRequests) throws Exception {
        return http.cors(Customizer.withDefaults())
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(OAuthEntryPoints.bearerTokenOnlyAtUserInfo(settings))
                        .jwt(jwt -> { }))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(OAuthEntryPoints.create(settings)))
                .requestCache(cache -> cache.requestCache(authorizationRequests))
                .addFilterBefore(new SingleValuedParameters(settings), AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterBefore(new LogoutWithoutAnApplication(settings), CsrfFilter.class)
                .headers(SecurityHeaders::apply);
    }

    @Bean
    AuthorizationRequestChecks authorizationRequestChecks(UserDirectory users, Clock clock, ProductionCookies cookies,
            SecondFactor secondFactor, Passkeys passkeys, JWKSource<SecurityContext> keys, Issuer issuer,
            SubjectIdentifiers subjects, MessageSource messages, LocaleResolver locales, ResourceIndicators resources) {
        return new AuthorizationRequestChecks(users, clock, cookies, secondFactor, passkeys,
                new AuthorizationRequestChecks.Hints(keys, issuer.url(), subjects, messages, locales),
                new ResourceAtAuthorization(resources));
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> userTokenClaims(UserDirectory users, Permissions permissions,
            TokenAudience audience, SubjectIdentifiers subjects, AccessTokenAudience requestedAudience,
            TokenExchange exchange) {
        return new UserTokenClaims(users, permissions, audience, subjects, requestedAudience, exchange);
    }

    /** Every grant's tokens: JWT access and ID tokens with Latchkey's claims, opaque refresh tokens; counted. */
    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JwtEncoder jwtEncoder,
            OAuth2TokenCustomizer<JwtEncodingContext> userTokenClaims, Clock clock, TokensProperties tokens,
            ApplicationEventPublisher events, MeterRegistry meters, TokenActivity tokenActivity) {
        JwtGenerator jwts = new JwtGenerator(jwtEncoder);
        jwts.setJwtCustomizer(Dpop.bindingAccessTokens(new SessionIdTokens(userTokenClaims, events)));
        return new IssuedTokenCounts(new DelegatingOAuth2TokenGenerator(jwts,
                RefreshGrant.rotatingTokens(clock, tokens.refreshFamilyMaxLifetime())), meters, tokenActivity);
    }
}
