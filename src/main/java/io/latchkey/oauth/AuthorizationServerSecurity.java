package io.latchkey.oauth;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import io.latchkey.account.Permissions;
import io.latchkey.account.UserDirectory;
import io.latchkey.client.ClientSecretVerifier;
import io.latchkey.http.SecurityHeaders;
import io.latchkey.keys.KeysProperties;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.runtime.Issuer;
import io.latchkey.runtime.ProductionCookies;
import io.latchkey.session.SavedRequests;
import io.latchkey.tokens.TokensProperties;

/**
 * The security filter chain of the OAuth 2 and OpenID Connect endpoints. Each rule it adds is its own
 * class: {@link SignedInUserMustBeActive}, {@link SessionFreshnessRule}, {@link LoopbackRedirectUris}, {@link AdminScopeConsentRule},
 * {@link AuthorizationResponder}, {@link RotatingRefreshTokens}, {@link UserTokenClaims}, {@link UserInfoClaims},
 * {@link OwnTokenIntrospection}, {@link AdvertisedCapabilities}, {@link OAuthEntryPoints},
 * {@link ClientSecretAttempts}, {@link RateLimitedOAuthErrors}, {@link SingleValuedParameters},
 * {@link SessionIdTokens}.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerSecurity {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServerFilterChain(HttpSecurity http, AuthorizationServerSettings settings,
            UserDirectory users, KeysProperties keys, Clock clock, ClientSecretVerifier clientSecretVerifier,
            RegisteredClientRepository registeredClients, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
            AuthenticationProvider passwordSignIn, OAuth2AuthorizationService authorizationService,
            ApplicationEventPublisher events, CredentialGuard guard, Issuer issuer,
            SavedRequests saved, ProductionCookies cookies) throws Exception {
        RequestCache authorizationRequests = OAuthEntryPoints.authorizationRequestCache(settings, saved);
        SessionFreshnessRule sessionFreshness = new SessionFreshnessRule(clock, cookies);
        AuthorizationResponder responder = new AuthorizationResponder(issuer.url(), authorizationRequests, sessionFreshness);
        SignedInUserMustBeActive activeUser = new SignedInUserMustBeActive(users);
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(OAuthEntryPoints.endpointsOf(server.getEndpointsMatcher()));
            server.authorizationEndpoint(authorization -> authorization
                    .consentPage(OAuthEntryPoints.CONSENT_PAGE)
                    .authorizationResponseHandler(responder)
                    .errorResponseHandler(responder)
                    .authenticationProviders(providers -> providers.forEach(provider -> {
                        if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
                            codeRequests.setAuthenticationValidator(
                                    new LoopbackRedirectUris(new OAuth2AuthorizationCodeRequestAuthenticationValidator())
                                            .andThen(activeUser).andThen(sessionFreshness));
                            codeRequests.setAuthorizationConsentRequired(new AdminScopeConsentRule());
                        }
                    })));
            server.clientAuthentication(clients -> clients
                    .authenticationConverter(PublicClientIdentification.converter())
                    .authenticationProvider(PublicClientIdentification.provider(registeredClients))
                    .authenticationProviders(providers -> providers.replaceAll(provider -> {
                        if (provider instanceof ClientSecretAuthenticationProvider secrets) {
                            secrets.setPasswordEncoder(clientSecretVerifier);
                            return new ClientSecretAttempts(secrets, registeredClients, clientSecretVerifier, guard);
                        }
                        return provider;
                    }))
                    .errorResponseHandler(RateLimitedOAuthErrors.ofClientAuthentication()));
            server.tokenGenerator(tokenGenerator);
            server.tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(providers ->
                    providers.replaceAll(provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider
                            ? new OwnTokenIntrospection(provider) : provider)));
            server.tokenEndpoint(token -> token
                    .errorResponseHandler(RateLimitedOAuthErrors.ofTokenEndpoint())
                    .accessTokenRequestConverter(new PasswordGrantRequestConverter())
                    .authenticationProvider(new PasswordGrantAuthenticationProvider(passwordSignIn, authorizationService,
                            tokenGenerator, events)));
            server.authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                    builder -> builder.claims(claims -> AdvertisedCapabilities.applyTo(claims, keys.algorithm()))));
            server.oidc(oidc -> oidc
                    .providerConfigurationEndpoint(provider -> provider.providerConfigurationCustomizer(
                            builder -> builder.claims(claims -> AdvertisedCapabilities.applyTo(claims, keys.algorithm()))))
                    .userInfoEndpoint(userInfo -> userInfo.authenticationProviders(providers -> providers.forEach(provider -> {
                        if (provider instanceof OidcUserInfoAuthenticationProvider userInfoProvider) {
                            userInfoProvider.setUserInfoMapper(new UserInfoClaims(users));
                        }
                    }))));
        });
        http.cors(org.springframework.security.config.Customizer.withDefaults())
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(OAuthEntryPoints.bearerTokenOnlyAtUserInfo(settings))
                        .jwt(jwt -> { }))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(OAuthEntryPoints.create(settings)))
                .requestCache(cache -> cache.requestCache(authorizationRequests))
                .addFilterBefore(new SingleValuedParameters(settings), AbstractPreAuthenticatedProcessingFilter.class)
                .headers(SecurityHeaders::apply);
        return http.build();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> userTokenClaims(UserDirectory users, Permissions permissions,
            TokenAudience audience) {
        return new UserTokenClaims(users, permissions, audience);
    }

    /** Every grant's tokens: JWT access and ID tokens with Latchkey's claims, opaque refresh tokens; counted. */
    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JwtEncoder jwtEncoder,
            OAuth2TokenCustomizer<JwtEncodingContext> userTokenClaims, Clock clock, TokensProperties tokens,
            ApplicationEventPublisher events, MeterRegistry meters) {
        JwtGenerator jwts = new JwtGenerator(jwtEncoder);
        jwts.setJwtCustomizer(new SessionIdTokens(userTokenClaims, events));
        return new IssuedTokenCounts(new DelegatingOAuth2TokenGenerator(jwts,
                new RotatingRefreshTokens(clock, tokens.refreshFamilyMaxLifetime())), meters);
    }
}
