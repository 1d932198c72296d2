package io.latchkey.client;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * Turns client definitions into registered clients (secrets hashed, PKCE required unless a confidential
 * client opts out), and disables clients.
 */
@Service
class ClientRegistrations {

    private static final Logger log = LoggerFactory.getLogger(ClientRegistrations.class);
    static final java.time.Duration AUTHORIZATION_CODE_TTL = java.time.Duration.ofMinutes(5);

    private final RegisteredClientRepository repository;
    private final ClientStore store;
    private final PasswordEncoder passwordEncoder;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final Clock clock;

    ClientRegistrations(RegisteredClientRepository repository, ClientStore store, PasswordEncoder passwordEncoder,
            ApplicationEventPublisher events, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.store = store;
        this.passwordEncoder = passwordEncoder;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Inserts the client declared in configuration, or updates the one with the same client id (keeping its
     * internal id). A client that was disabled is enabled again.
     */
    RegisteredClient upsert(String clientId, ClientDefinition definition) {
        RegisteredClient existing = store.find(clientId);
        RegisteredClient client = build(clientId, definition, existing, hashedSecret(definition, existing), Map.of());
        repository.save(client);
        store.markDeclared(clientId);
        if (existing != null && ClientPolicies.isDisabled(existing)) {
            log.info("Client {} is declared again: enabled (tokens issued before it was disabled stay revoked)",
                    clientId);
            audit.record(AuditEvent.of(AuditEventType.CLIENT_ENABLED).subject(clientId));
        }
        return client;
    }

    /**
     * Saves a client an admin or a dynamic registration made: new ({@code existing} null) or changed, with the given
     * secret hash (null for a public client). Whether it is disabled is kept, and so is its previous secret while it
     * stays confidential.
     */
    RegisteredClient saveAdministered(String clientId, ClientDefinition definition, RegisteredClient existing,
            String secretHash, String source) {
        Map<String, Object> kept = new HashMap<>();
        if (existing != null) {
            List<String> settings = secretHash == null ? List.of(ClientPolicies.DISABLED)
                    : List.of(ClientPolicies.DISABLED, ClientPolicies.PREVIOUS_SECRET_HASH,
                            ClientPolicies.PREVIOUS_SECRET_UNTIL);
            for (String setting : settings) {
                Object value = existing.getClientSettings().getSetting(setting);
                if (value != null) {
                    kept.put(setting, value);
                }
            }
        }
        RegisteredClient client = build(clientId, definition, existing, secretHash, kept);
        repository.save(client);
        store.setSource(clientId, source);
        return client;
    }

    /** Saves the client with another secret hash and some of its settings changed. */
    RegisteredClient saveSecret(RegisteredClient client, String secretHash, Map<String, Object> settings) {
        RegisteredClient changed = RegisteredClient.from(client)
                .clientSecret(secretHash)
                .clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
                        .settings(all -> all.putAll(settings))
                        .build())
                .build();
        repository.save(changed);
        return changed;
    }

    /** Enables a disabled client again; tokens issued before it was disabled stay revoked. */
    void enable(RegisteredClient client) {
        repository.save(RegisteredClient.from(client)
                .clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
                        .setting(ClientPolicies.DISABLED, false)
                        .build())
                .build());
    }

    private RegisteredClient build(String clientId, ClientDefinition definition, RegisteredClient existing,
            String secretHash, Map<String, Object> keptSettings) {
        RegisteredClient.Builder builder = existing == null
                ? RegisteredClient.withId(UUID.randomUUID().toString()).clientIdIssuedAt(Instant.now())
                : RegisteredClient.from(existing);
        builder.clientId(clientId)
                .clientName(definition.displayName() == null || definition.displayName().isBlank() ? clientId
                        : definition.displayName().trim())
                .clientSecret(secretHash)
                .clientAuthenticationMethods(methods -> {
                    methods.clear();
                    if (definition.extensions().privateKeyJwt()) {
                        methods.add(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
                    }
                    else if (definition.isPublic()) {
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
                .clientSettings(extensionSettings(ClientSettings.builder(), definition.extensions())
                        .requireAuthorizationConsent(definition.requireConsent())
                        .requireProofKey(definition.requirePkce())
                        .setting(ClientPolicies.STATELESS_CLIENT_CREDENTIALS, definition.statelessClientCredentials())
                        .setting(ClientPolicies.RESOURCE_SERVER, definition.resourceServer())
                        .setting(ClientPolicies.LOGO_URI, definition.logoUri() == null ? "" : definition.logoUri())
                        .setting(ClientPolicies.TOKENS_REVOKED_UNTIL, tokensRevokedUntil(existing))
                        .setting(ClientPolicies.BACKCHANNEL_LOGOUT_URI,
                                definition.backchannelLogoutUri() == null ? "" : definition.backchannelLogoutUri())
                        .setting(ClientPolicies.BACKCHANNEL_LOGOUT_SESSION_REQUIRED,
                                definition.backchannelLogoutSessionRequired())
                        .setting(ClientPolicies.REQUIRE_MFA, definition.requireMfa())
                        .settings(settings -> settings.putAll(keptSettings))
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(definition.accessTokenTtl())
                        .refreshTokenTimeToLive(definition.refreshTokenTtl())
                        .authorizationCodeTimeToLive(AUTHORIZATION_CODE_TTL)
                        .reuseRefreshTokens(false)
                        .build());
        return builder.build();
    }

    /** The settings of {@link ClientExtensions}, as {@link ClientPolicies#extensions} reads them back. */
    private static ClientSettings.Builder extensionSettings(ClientSettings.Builder settings,
            ClientExtensions extensions) {
        if (extensions.jwksUri() != null) {
            settings.jwkSetUrl(extensions.jwksUri());
        }
        if (extensions.privateKeyJwt()) {
            // tells the framework the client signs with a key (private_key_jwt), not a secret (client_secret_jwt);
            // the algorithms accepted are io.latchkey.oauth.clientauth's (RS256, PS256, ES256), not this one alone
            settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256);
        }
        return settings.setting(ClientPolicies.JWKS, extensions.jwks() == null ? "" : extensions.jwks())
                .setting(ClientPolicies.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS,
                        extensions.requirePushedAuthorizationRequests())
                .setting(ClientPolicies.DPOP_BOUND_ACCESS_TOKENS, extensions.dpopBoundAccessTokens())
                .setting(ClientPolicies.SUBJECT_TYPE, extensions.subjectType())
                .setting(ClientPolicies.SECTOR_IDENTIFIER_URI,
                        extensions.sectorIdentifierUri() == null ? "" : extensions.sectorIdentifierUri())
                .setting(ClientPolicies.RESOURCE_INDICATOR,
                        extensions.resourceIndicator() == null ? "" : extensions.resourceIndicator())
                .setting(ClientPolicies.TOKEN_EXCHANGE_TARGETS, String.join(" ", extensions.tokenExchangeTargets()));
    }

    /**
     * Disables the client: from now on every endpoint treats it as unknown, and every token issued to it
     * is revoked (the stored ones by the listeners of {@link ClientDisabled}).
     */
    void disable(RegisteredClient client) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        repository.save(RegisteredClient.from(client)
                .clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
                        .setting(ClientPolicies.DISABLED, true)
                        .setting(ClientPolicies.TOKENS_REVOKED_UNTIL, now.toString())
                        .build())
                .build());
        events.publishEvent(new ClientDisabled(client.getId(), client.getClientId()));
    }

    private static String tokensRevokedUntil(RegisteredClient existing) {
        return existing != null && existing.getClientSettings().getSetting(ClientPolicies.TOKENS_REVOKED_UNTIL)
                instanceof String until ? until : "";
    }

    private String hashedSecret(ClientDefinition definition, RegisteredClient existing) {
        if (!definition.hasSecret()) {
            return null;
        }
        if (existing != null && existing.getClientSecret() != null
                && passwordEncoder.matches(definition.secret(), existing.getClientSecret())) {
            return existing.getClientSecret();
        }
        return passwordEncoder.encode(definition.secret());
    }
}
