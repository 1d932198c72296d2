package io.latchkey.client;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Service;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * Clients made and run while Latchkey runs: by an admin (console, admin API, configuration import) or by a dynamic
 * registration. The same rules as for clients declared in configuration ({@link ClientDefinition#problems}); a
 * client declared in configuration is shown but changed only there. Secrets are generated here, returned once, and
 * stored as bcrypt hashes; a rotation may keep the previous secret working for an overlap period, so a client's
 * deployments can change over without an outage. Every change is an audit event with its actor.
 *
 * <p>Hashing runs before any database work, so no request holds a connection while it waits for bcrypt.
 */
@Service
public class ClientAdministration {

    /** Declared under {@code latchkey.clients.*}: read-only here. */
    public static final String CONFIGURATION = ClientStore.CONFIGURATION;
    /** Made by an admin: console, admin API or configuration import. */
    public static final String ADMINISTERED = "runtime";
    /** Made by a dynamic client registration (RFC 7591). */
    public static final String REGISTERED = "registration";

    public static final int MAX_PAGE_SIZE = 100;
    /** The longest overlap in which a rotated-out secret still works. */
    public static final Duration LONGEST_SECRET_OVERLAP = Duration.ofDays(30);
    private static final int SECRET_BYTES = 32;

    private final ClientStore store;
    private final ClientRegistrations registrations;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ClientAdministration(ClientStore store, ClientRegistrations registrations, PasswordEncoder passwordEncoder,
            AuditLog audit, Clock clock) {
        this.store = store;
        this.registrations = registrations;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.clock = clock;
    }

    /** A client and, when one was made, its secret in the clear: shown once, never stored. */
    public record IssuedClient(ClientView client, String secret) {
    }

    /** A page of clients. */
    public record ClientPage(List<ClientView> clients, int page, int size, long total) {
    }

    /** Clients whose id or name contains {@code query} (any case), sorted by id; {@code size} capped at {@value #MAX_PAGE_SIZE}. */
    public ClientPage search(String query, int page, int size) {
        int capped = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
        int offset = Math.max(0, page) * capped;
        List<ClientView> clients = new ArrayList<>();
        for (String clientId : store.search(query, offset, capped)) {
            find(clientId).ifPresent(clients::add);
        }
        return new ClientPage(clients, Math.max(0, page), capped, store.count(query));
    }

    /** The client with this id, disabled or not. */
    public Optional<ClientView> find(String clientId) {
        if (!isWellFormed(clientId)) {
            return Optional.empty();
        }
        RegisteredClient client = store.find(clientId);
        return client == null ? Optional.empty()
                : Optional.of(ClientView.of(client, store.sourceOf(clientId).orElse(ADMINISTERED), clock.instant()));
    }

    /**
     * The enabled client whose resource indicator (RFC 8707, {@link ClientPolicies#resourceIndicator}) is exactly
     * {@code resource}, if any: how the authorization server knows which resources it may issue tokens for.
     */
    public Optional<String> clientWithResourceIndicator(String resource) {
        if (resource == null || resource.isEmpty() || resource.length() > ClientExtensions.MAX_URI_LENGTH) {
            return Optional.empty();
        }
        // quoted as a JSON string value, so that a longer indicator that starts with this one does not match
        return store.withSettingsContaining('"' + resource + '"').stream()
                .map(store::find)
                .filter(client -> client != null && !ClientPolicies.isDisabled(client)
                        && resource.equals(ClientPolicies.resourceIndicator(client)))
                .map(RegisteredClient::getClientId)
                .findFirst();
    }

    /**
     * Makes a client. Without a client id one is generated. A confidential client gets a new secret, returned once.
     *
     * @param source {@link #ADMINISTERED} or {@link #REGISTERED}
     * @throws ClientRuleViolation listing every problem of the draft, or a client id already taken
     */
    public IssuedClient create(String clientId, ClientDraft draft, String source, String actor) {
        String id = clientId == null || clientId.isBlank() ? newClientId() : clientId.strip();
        ClientDefinition definition = checked(id, draft);
        if (store.find(id) != null) {
            throw new ClientRuleViolation("client-id", "client-id '" + id + "' is taken");
        }
        String secret = draft.confidential() ? newSecret() : null;
        String hash = secret == null ? null : passwordEncoder.encode(secret);
        RegisteredClient client = registrations.saveAdministered(id, definition, null, hash, source);
        audit.record(AuditEvent.of(AuditEventType.CLIENT_CREATED).subject(target(id)).actor(actor)
                .detail("source", source).detail("grantTypes", String.join(" ", definition.grantTypes()))
                .outcome(AuditEvent.SUCCEEDED));
        return new IssuedClient(ClientView.of(client, source, clock.instant()), secret);
    }

    /**
     * Replaces the client's settings with the draft's. A client that becomes confidential gets a secret (returned once);
     * one that becomes public loses its secret. A client declared in configuration is refused.
     */
    public IssuedClient update(String clientId, ClientDraft draft, String actor) {
        RegisteredClient existing = changeable(clientId);
        ClientDefinition definition = checked(clientId, draft);
        String secret = null;
        String hash = existing.getClientSecret();
        if (draft.confidential() && hash == null) {
            secret = newSecret();
            hash = passwordEncoder.encode(secret);
        }
        else if (!draft.confidential()) {
            hash = null;
        }
        String source = store.sourceOf(clientId).orElse(ADMINISTERED);
        RegisteredClient client = registrations.saveAdministered(clientId, definition, existing, hash, source);
        audit.record(AuditEvent.of(AuditEventType.CLIENT_UPDATED).subject(target(clientId)).actor(actor)
                .detail("grantTypes", String.join(" ", definition.grantTypes())).outcome(AuditEvent.SUCCEEDED));
        return new IssuedClient(ClientView.of(client, source, clock.instant()), secret);
    }

    /**
     * Gives the confidential client a new secret, returned once. The secret it had keeps working for {@code overlap}
     * (zero: not at all), and a secret kept from an earlier rotation stops working now.
     */
    public IssuedClient rotateSecret(String clientId, Duration overlap, String actor) {
        if (overlap == null || overlap.isNegative() || overlap.compareTo(LONGEST_SECRET_OVERLAP) > 0) {
            throw new ClientRuleViolation("overlap", "overlap must be between 0 and " + LONGEST_SECRET_OVERLAP.toDays()
                    + " days");
        }
        RegisteredClient existing = changeable(clientId);
        if (existing.getClientSecret() == null) {
            throw new ClientRuleViolation("secret", "a public client has no secret; make it confidential first");
        }
        String secret = newSecret();
        String hash = passwordEncoder.encode(secret);
        Instant until = clock.instant().plus(overlap).truncatedTo(ChronoUnit.SECONDS);
        RegisteredClient client = registrations.saveSecret(existing, hash, overlap.isZero()
                ? Map.of(ClientPolicies.PREVIOUS_SECRET_HASH, "", ClientPolicies.PREVIOUS_SECRET_UNTIL, "")
                : Map.of(ClientPolicies.PREVIOUS_SECRET_HASH, existing.getClientSecret(),
                        ClientPolicies.PREVIOUS_SECRET_UNTIL, until.toString()));
        audit.record(AuditEvent.of(AuditEventType.CLIENT_SECRET_ROTATED).subject(target(clientId)).actor(actor)
                .detail("overlap", overlap.toString()).outcome(AuditEvent.SUCCEEDED));
        return new IssuedClient(ClientView.of(client, store.sourceOf(clientId).orElse(ADMINISTERED), clock.instant()),
                secret);
    }

    /** Stops the client's previous secret from working now, before its overlap ends. */
    public ClientView endSecretOverlap(String clientId, String actor) {
        RegisteredClient existing = changeable(clientId);
        RegisteredClient client = registrations.saveSecret(existing, existing.getClientSecret(),
                Map.of(ClientPolicies.PREVIOUS_SECRET_HASH, "", ClientPolicies.PREVIOUS_SECRET_UNTIL, ""));
        audit.record(AuditEvent.of(AuditEventType.CLIENT_SECRET_OVERLAP_ENDED).subject(target(clientId)).actor(actor)
                .outcome(AuditEvent.SUCCEEDED));
        return ClientView.of(client, store.sourceOf(clientId).orElse(ADMINISTERED), clock.instant());
    }

    /** Disables the client: every endpoint treats it as unknown, and every token issued to it is revoked. */
    public void disable(String clientId, String actor) {
        RegisteredClient existing = changeable(clientId);
        if (!ClientPolicies.isDisabled(existing)) {
            registrations.disable(existing);
        }
        audit.record(AuditEvent.of(AuditEventType.CLIENT_DISABLED).subject(target(clientId)).actor(actor)
                .outcome(AuditEvent.SUCCEEDED));
    }

    /** Enables a disabled client; the tokens revoked when it was disabled stay revoked. */
    public void enable(String clientId, String actor) {
        RegisteredClient existing = changeable(clientId);
        if (ClientPolicies.isDisabled(existing)) {
            registrations.enable(existing);
        }
        audit.record(AuditEvent.of(AuditEventType.CLIENT_ENABLED).subject(target(clientId)).actor(actor)
                .outcome(AuditEvent.SUCCEEDED));
    }

    /** Deletes the client, its consents and its tokens. */
    public void delete(String clientId, String actor) {
        RegisteredClient existing = changeable(clientId);
        // disabling first revokes its tokens everywhere, stateless ones included, and evicts every instance's cache
        if (!ClientPolicies.isDisabled(existing)) {
            registrations.disable(existing);
        }
        store.delete(existing);
        audit.record(AuditEvent.of(AuditEventType.CLIENT_DELETED).subject(target(clientId)).actor(actor)
                .outcome(AuditEvent.SUCCEEDED));
    }

    /** Every problem of the draft for this client id, with its property; empty when it may be saved. */
    public List<ClientProblem> problems(String clientId, ClientDraft draft) {
        return draft.definition().problemsByProperty(clientId);
    }

    private ClientDefinition checked(String clientId, ClientDraft draft) {
        ClientDefinition definition = draft.definition();
        List<ClientProblem> problems = definition.problemsByProperty(clientId);
        if (!problems.isEmpty()) {
            throw new ClientRuleViolation(problems);
        }
        return definition;
    }

    /** The stored client, when it exists and is not the configuration's. */
    private RegisteredClient changeable(String clientId) {
        RegisteredClient client = isWellFormed(clientId) ? store.find(clientId) : null;
        if (client == null) {
            throw new UnknownClientException(clientId);
        }
        if (CONFIGURATION.equals(store.sourceOf(clientId).orElse(null))) {
            throw new ClientRuleViolation("client-id", "client-id '" + clientId
                    + "' is declared in configuration (latchkey.clients." + clientId + ".*): change it there");
        }
        return client;
    }

    private static boolean isWellFormed(String clientId) {
        return clientId != null && clientId.matches(ClientDefinition.CLIENT_ID_PATTERN);
    }

    private static String target(String clientId) {
        return "client:" + clientId;
    }

    private String newClientId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // configuration import (io.latchkey.config): a client carried over from an export, with its secret's hash as is

    /** What an import does to one client. */
    public enum ImportAction { CREATE, UPDATE, UNCHANGED }

    /** What an import does, or would do, to one client, and which of its properties differ (for an update). */
    public record ClientImport(String clientId, ImportAction action, List<String> changed) {
    }

    /** A stored secret hash an import may carry: bcrypt, as {@link PasswordEncoder} writes it. */
    public static final String BCRYPT_HASH_PATTERN = "\\{bcrypt}\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}";

    /**
     * What {@link #importClient} would do, changing nothing: create the client, update the properties that differ
     * (named as in configuration: {@code redirect-uris}, {@code secret}, ...), or leave it unchanged.
     *
     * @param secretHash the bcrypt hash of a confidential client's secret ({@link #BCRYPT_HASH_PATTERN}); null for a
     *        public one
     * @param source {@link #ADMINISTERED} or {@link #REGISTERED}
     * @throws ClientRuleViolation listing every problem of the draft and the hash, or a client declared in
     *         configuration, which an import never changes
     */
    public ClientImport planImport(String clientId, ClientDraft draft, String secretHash, String source) {
        List<ClientProblem> problems = new ArrayList<>(problems(clientId, draft));
        problems.addAll(importProblems(draft, secretHash, source));
        if (!problems.isEmpty()) {
            throw new ClientRuleViolation(problems);
        }
        ClientDefinition definition = draft.definition();
        RegisteredClient existing = store.find(clientId);
        if (existing == null) {
            return new ClientImport(clientId, ImportAction.CREATE, List.of());
        }
        String storedSource = store.sourceOf(clientId).orElse(ADMINISTERED);
        if (CONFIGURATION.equals(storedSource)) {
            throw new ClientRuleViolation("client-id", "client-id '" + clientId
                    + "' is declared in configuration (latchkey.clients." + clientId + ".*): an import never changes it");
        }
        ClientView view = ClientView.of(existing, storedSource, clock.instant());
        List<String> changed = new ArrayList<>();
        String name = definition.displayName() == null ? clientId : definition.displayName();
        differs(changed, "display-name", view.displayName(), name);
        differs(changed, "secret", existing.getClientSecret(), secretHash);
        differs(changed, "grant-types", sorted(view.grantTypes()), sorted(definition.grantTypes()));
        differs(changed, "redirect-uris", sorted(view.redirectUris()), sorted(definition.redirectUris()));
        differs(changed, "post-logout-redirect-uris", sorted(view.postLogoutRedirectUris()),
                sorted(definition.postLogoutRedirectUris()));
        differs(changed, "scopes", sorted(view.scopes()), sorted(definition.scopes()));
        differs(changed, "require-pkce", view.requirePkce(), definition.requirePkce());
        differs(changed, "require-consent", view.requireConsent(), definition.requireConsent());
        differs(changed, "access-token-ttl", view.accessTokenTtl(), definition.accessTokenTtl());
        differs(changed, "refresh-token-ttl", view.refreshTokenTtl(), definition.refreshTokenTtl());
        differs(changed, "logo-uri", view.logoUri(), definition.logoUri());
        differs(changed, "require-mfa", view.requireMfa(), definition.requireMfa());
        differs(changed, "backchannel-logout-uri", view.backchannelLogoutUri(), definition.backchannelLogoutUri());
        ClientExtensions stored = view.extensions();
        ClientExtensions wanted = definition.extensions();
        differs(changed, "token-endpoint-auth-method", stored.tokenEndpointAuthMethod(), wanted.tokenEndpointAuthMethod());
        differs(changed, "jwks-uri", stored.jwksUri(), wanted.jwksUri());
        differs(changed, "jwks", stored.jwks(), wanted.jwks());
        differs(changed, "require-pushed-authorization-requests", stored.requirePushedAuthorizationRequests(),
                wanted.requirePushedAuthorizationRequests());
        differs(changed, "dpop-bound-access-tokens", stored.dpopBoundAccessTokens(), wanted.dpopBoundAccessTokens());
        differs(changed, "subject-type", stored.subjectType(), wanted.subjectType());
        differs(changed, "sector-identifier-uri", stored.sectorIdentifierUri(), wanted.sectorIdentifierUri());
        differs(changed, "resource-indicator", stored.resourceIndicator(), wanted.resourceIndicator());
        differs(changed, "token-exchange-targets", sorted(stored.tokenExchangeTargets()),
                sorted(wanted.tokenExchangeTargets()));
        differs(changed, "source", storedSource, source);
        return new ClientImport(clientId, changed.isEmpty() ? ImportAction.UNCHANGED : ImportAction.UPDATE,
                List.copyOf(changed));
    }

    /**
     * Creates the client or brings it in line with the draft, storing {@code secretHash} as it is, so that a client
     * exported elsewhere keeps working with the secret it has; an unchanged client is not written. Whether it is
     * disabled is kept. Nothing is hashed here (no clear secret exists), so it may run inside a caller's transaction.
     *
     * @see #planImport
     */
    public ClientImport importClient(String clientId, ClientDraft draft, String secretHash, String source,
            String actor) {
        ClientImport plan = planImport(clientId, draft, secretHash, source);
        if (plan.action() == ImportAction.UNCHANGED) {
            return plan;
        }
        RegisteredClient existing = store.find(clientId);
        registrations.saveAdministered(clientId, draft.definition(), existing, secretHash, source);
        audit.record(AuditEvent.of(plan.action() == ImportAction.CREATE ? AuditEventType.CLIENT_CREATED
                        : AuditEventType.CLIENT_UPDATED).subject(target(clientId)).actor(actor)
                .detail("source", source).detail("via", "import")
                .detail("changed", String.join(" ", plan.changed())).outcome(AuditEvent.SUCCEEDED));
        return plan;
    }

    /**
     * The bcrypt hash of the client's current secret, for an export that must let the client keep working where it is
     * imported: never the previous secret, never a client declared in configuration; empty for a public client.
     */
    public Optional<String> secretHashForExport(String clientId) {
        RegisteredClient client = isWellFormed(clientId) ? store.find(clientId) : null;
        if (client == null || CONFIGURATION.equals(store.sourceOf(clientId).orElse(null))) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.getClientSecret());
    }

    private static List<ClientProblem> importProblems(ClientDraft draft, String secretHash, String source) {
        List<ClientProblem> problems = new ArrayList<>();
        if (!ADMINISTERED.equals(source) && !REGISTERED.equals(source)) {
            problems.add(new ClientProblem("source", "source must be '" + ADMINISTERED + "' or '" + REGISTERED + "'"));
        }
        if (draft.confidential() && secretHash == null) {
            problems.add(new ClientProblem("secret-hash", "secret-hash is required for a confidential client"));
        }
        else if (draft.confidential() && !secretHash.matches(BCRYPT_HASH_PATTERN)) {
            problems.add(new ClientProblem("secret-hash", "secret-hash must be a bcrypt hash ({bcrypt}$2...)"));
        }
        else if (!draft.confidential() && secretHash != null) {
            problems.add(new ClientProblem("secret-hash", "secret-hash is for confidential clients only"));
        }
        return problems;
    }

    private static void differs(List<String> changed, String property, Object stored, Object wanted) {
        if (!java.util.Objects.equals(stored, wanted)) {
            changed.add(property);
        }
    }

    private static List<String> sorted(List<String> values) {
        return values == null ? List.of() : values.stream().distinct().sorted().toList();
    }

    /**
     * Records that an admin's change to a client was refused ({@link ClientRuleViolation}, or a client declared in
     * configuration), with the properties at fault but not their values, which may be anything an admin typed.
     *
     * @param clientId the client the change was for; null or malformed for a client not made
     * @param action what was tried, such as {@code update} or {@code rotate-secret}
     */
    public void recordRefusal(String clientId, String action, List<ClientProblem> problems, String actor) {
        String properties = String.join(" ", problems.stream().map(ClientProblem::property).distinct().toList());
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.CLIENT_CHANGE_REFUSED)
                .subject(isWellFormed(clientId) ? target(clientId) : "client:(new)").actor(actor)
                .detail("action", action).detail("properties", properties).outcome(AuditEvent.REFUSED));
    }
}
