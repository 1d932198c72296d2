package io.latchkey.oauth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

import io.latchkey.audit.AuditLog;
import io.latchkey.keys.SigningKeys;
import io.latchkey.oauth.refresh.RefreshGrant;
import io.latchkey.oauth.resource.AccessTokenJwts;
import io.latchkey.runtime.Issuer;
import io.latchkey.tokens.AuthorizationStore;

/** The stores and settings the authorization server endpoints run on. */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerInfrastructure {

    @Bean
    AuthorizationServerSettings authorizationServerSettings(Issuer issuer) {
        return AuthorizationServerSettings.builder().issuer(issuer.url()).build();
    }

    /**
     * The authorization store with refresh-token reuse detection: what the endpoints and the first-party API look
     * tokens up in. Primary, so that nothing that asks for an {@link OAuth2AuthorizationService} gets the store
     * without the rule.
     */
    @Bean
    @Primary
    OAuth2AuthorizationService authorizationService(AuthorizationStore store, AuditLog audit) {
        return RefreshGrant.detectingReuse(store, audit);
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(JdbcOperations jdbc,
            RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    /**
     * Verifies Latchkey's own access tokens (userinfo, the API, stateless tokens, initial access tokens): any
     * published key, our issuer, not expired, typed {@code at+jwt} (never an ID token, {@link AccessTokenJwts}).
     */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource, Issuer issuer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(jwkSource)
                .jwsAlgorithms(algorithms -> algorithms.addAll(SigningKeys.supportedAlgorithms()))
                .build();
        // the framework's defaults (expiry, certificate binding) with this type check in place of its "JWT" one
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(new JwtIssuerValidator(issuer.url()),
                AccessTokenJwts.typeValidator()));
        return decoder;
    }
}
