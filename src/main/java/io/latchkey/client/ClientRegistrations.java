package io.latchkey.client;

import java.time.Instant;
import java.util.UUID;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;

/** Turns client definitions into registered clients: secrets hashed, PKCE required for public clients. */
@Service
class ClientRegistrations {

    static final java.time.Duration AUTHORIZATION_CODE_TTL = java.time.Duration.ofMinutes(5);

    private final RegisteredClientRepository repository;
    private final PasswordEncoder passwordEncoder;

    ClientRegistrations(RegisteredClientRepository repository, PasswordEncoder passwordEncoder) {
        this.repository = repository;
        this.passwordEncoder = passwordEncoder;
    }

    /** Inserts the client, or updates the one with the same client id (keeping its internal id). */
    RegisteredClient upsert(String clientId, ClientDefinition definition) {
        RegisteredClient existing = repository.findByClientId(clientId);
        RegisteredClient.Builder builder = existing == null
                ? RegisteredClient.withId(UUID.randomUUID().toString()).clientIdIssuedAt(Instant.now())
                : RegisteredClient.from(existing);
        builder.clientId(clientId)
                .clientName(definition.displayName() == null || definition.displayName().isBlank() ? clientId
                        : definition.displayName().trim())
                .clientSecret(hashedSecret(definition, existing))
                .clientAuthenticationMethods(methods -> {
                    methods.clear();
                    if (definition.isPublic()) {
                        methods.add(ClientAuthenticationMethod.NONE);
                    }
                    else {
                        methods.add(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
                        methods.add(ClientAuthenticationMethod.CLIENT_SECRET_POST);
                    }
                })
                .authorizationGrantTypes(types -> {
                    types.clear();
                    definition.grantTypes().forEach(type -> types.add(new AuthorizationGrantType(type)));
                })
                .redirectUris(uris -> {
                    uris.clear();
                    uris.addAll(definition.redirectUris());
                })
                .postLogoutRedirectUris(uris -> {
                    uris.clear();
                    uris.addAll(definition.postLogoutRedirectUris());
                })
                .scopes(scopes -> {
                    scopes.clear();
                    scopes.addAll(definition.scopes());
                })
                .clientSettings(ClientSettings.builder()
                        .requireAuthorizationConsent(definition.requireConsent())
                        .requireProofKey(definition.isPublic())
                        .setting(ClientPolicies.STATELESS_CLIENT_CREDENTIALS, definition.statelessClientCredentials())
                        .setting(ClientPolicies.RESOURCE_SERVER, definition.resourceServer())
                        .setting(ClientPolicies.LOGO_URI, definition.logoUri() == null ? "" : definition.logoUri())
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(definition.accessTokenTtl())
                        .refreshTokenTimeToLive(definition.refreshTokenTtl())
                        .authorizationCodeTimeToLive(AUTHORIZATION_CODE_TTL)
                        .reuseRefreshTokens(false)
                        .build());
        RegisteredClient client = builder.build();
        repository.save(client);
        return client;
    }

    private String hashedSecret(ClientDefinition definition, RegisteredClient existing) {
        if (definition.isPublic()) {
            return null;
        }
        if (existing != null && existing.getClientSecret() != null
                && passwordEncoder.matches(definition.secret(), existing.getClientSecret())) {
            return existing.getClientSecret();
        }
        return passwordEncoder.encode(definition.secret());
    }
}
