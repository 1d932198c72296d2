package io.latchkey.clientregistration;

import java.util.List;
import java.util.Map;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientProblem;
import io.latchkey.client.ClientRuleViolation;
import io.latchkey.client.ClientView;
import io.latchkey.oauth.RegistrationEndpointAddress;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.Verdict;
import io.latchkey.runtime.Issuer;

/**
 * Registration (RFC 7591) and the client configuration endpoint (RFC 7592): who may (an initial access token, or
 * anyone under open registration, counted per client IP), what (the metadata rules, open registration's limits, every
 * client's rules in {@link ClientAdministration}), and the registration access token that lets the client read,
 * replace and delete its registration afterwards. Each refusal is an audit event with its reason.
 *
 * <p>The registration access token is rotated at every update (RFC 7592 section 3 allows it): a token that leaked
 * is good only until the next change. A read returns the token that was presented, not a new one, and never the
 * client secret (it is stored as a hash); an update returns a secret only when it made one (a public client turned
 * confidential).
 */
@Service
class DynamicClientRegistration {

    static final String ANONYMOUS = "anonymous";
    /** What a client id may look like (the client rules'); any other cannot name a client. */
    private static final String CLIENT_ID = "[A-Za-z0-9._~-]{1,100}";
    private static final String RATE_LIMIT_KIND = "dcr";

    private final ClientAdministration administration;
    private final RegistrationAccessTokens accessTokens;
    private final InitialAccessTokens initialTokens;
    private final SoftwareStatements softwareStatements;
    private final RegisteredClientRepository clients;
    private final PasswordEncoder passwordEncoder;
    private final CredentialGuard guard;
    private final ClientRegistrationProperties properties;
    private final AuditLog audit;
    private final Issuer issuer;

    DynamicClientRegistration(ClientAdministration administration, RegistrationAccessTokens accessTokens,
            InitialAccessTokens initialTokens, SoftwareStatements softwareStatements, RegisteredClientRepository clients,
            PasswordEncoder passwordEncoder, CredentialGuard guard, ClientRegistrationProperties properties,
            AuditLog audit, Issuer issuer) {
        this.administration = administration;
        this.accessTokens = accessTokens;
        this.initialTokens = initialTokens;
        this.softwareStatements = softwareStatements;
        this.clients = clients;
        this.passwordEncoder = passwordEncoder;
        this.guard = guard;
        this.properties = properties;
        this.audit = audit;
        this.issuer = issuer;
    }

    /** Who registers: the client of an initial access token, or anyone (open registration). */
    record Registrant(String actor, boolean open) {
    }

    /**
     * Who may register with this bearer token (null: none sent). An invalid token is refused even when registration
     * is open; no token is refused unless it is, and is then counted against the client IP.
     */
    Registrant registrant(String bearerToken, String clientIp) {
        if (bearerToken != null) {
            return new Registrant("client:" + initialTokens.verify(bearerToken), false);
        }
        if (!properties.open()) {
            throw RegistrationError.missingToken("An initial access token is required");
        }
        Verdict verdict = guard.checkRequestFromIp(RATE_LIMIT_KIND, clientIp, properties.openPerIp(),
                properties.openWindow());
        if (!verdict.allowed()) {
            throw new RateLimitExceededException(verdict);
        }
        return new Registrant(ANONYMOUS, true);
    }

    /** Registers a client: the 201 response's body. */
    Map<String, Object> register(Registrant registrant, ClientMetadata requested) {
        ClientMetadata metadata = softwareStatements.apply(requested);
        MetadataRules.Registration registration = MetadataRules.apply(metadata);
        if (registrant.open()) {
            OpenRegistrationLimits.check(registration.draft());
        }
        ClientAdministration.IssuedClient issued;
        try {
            issued = administration.create(null, registration.draft(), ClientAdministration.REGISTERED,
                    registrant.actor());
        }
        catch (ClientRuleViolation violation) {
            throw refusal(violation.problems());
        }
        catch (DataIntegrityViolationException tooLarge) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA,
                    "The metadata does not fit: use fewer or shorter values");
        }
        String clientId = issued.client().clientId();
        String token;
        try {
            token = accessTokens.issue(clientId, registration.authMethod(), registrant.open());
        }
        catch (DataAccessException failed) {
            // nothing half-written: a client whose registration access token was not stored is taken back
            administration.delete(clientId, registrant.actor());
            throw failed;
        }
        return ClientInformation.of(issued.client(), registration.authMethod(), issued.secret(), token,
                configurationUri(clientId), metadata.softwareStatement());
    }

    /** RFC 7592 section 2.1: the registration as it is now, with the token that was presented. */
    Map<String, Object> read(String clientId, String bearerToken) {
        RegistrationAccessTokens.Registered registered = authorize(clientId, bearerToken);
        ClientView client = administration.find(clientId).orElseThrow(RegistrationDenied::unknown);
        return ClientInformation.of(client, registered.authMethod(), null, bearerToken, configurationUri(clientId),
                null);
    }

    /** RFC 7592 section 2.2: replaces the metadata; the response carries a new registration access token. */
    Map<String, Object> update(String clientId, String bearerToken, ClientMetadata requested) {
        RegistrationAccessTokens.Registered registered = authorize(clientId, bearerToken);
        if (!clientId.equals(requested.clientId())) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA,
                    "client_id must be the client's own");
        }
        if (requested.softwareStatement() != null) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA,
                    "A software statement is accepted at registration only");
        }
        checkSecretIfSent(clientId, requested.clientSecret());
        MetadataRules.Registration registration = MetadataRules.apply(requested);
        if (registered.openlyRegistered()) {
            OpenRegistrationLimits.check(registration.draft());
        }
        ClientAdministration.IssuedClient issued;
        try {
            issued = administration.update(clientId, registration.draft(), actor(clientId));
        }
        catch (ClientRuleViolation violation) {
            throw refusal(violation.problems());
        }
        catch (DataIntegrityViolationException tooLarge) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA,
                    "The metadata does not fit: use fewer or shorter values");
        }
        String token = accessTokens.issue(clientId, registration.authMethod(), registered.openlyRegistered());
        return ClientInformation.of(issued.client(), registration.authMethod(), issued.secret(), token,
                configurationUri(clientId), null);
    }

    /** RFC 7592 section 2.3: the client, its tokens and its registration access token are gone. */
    void delete(String clientId, String bearerToken) {
        authorize(clientId, bearerToken);
        administration.delete(clientId, actor(clientId));
        accessTokens.revoke(clientId); // gone with the client already (foreign key); said here for the reader
    }

    /** Records a refusal: its reason, the client id the request named (null: none), never a token. */
    void recordRefusal(String clientId, String reason) {
        String named = clientId != null && clientId.matches(CLIENT_ID) ? clientId : null;
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.CLIENT_REGISTRATION_REFUSED)
                .subject(named == null ? "registration" : "client:" + named)
                .detail("reason", reason)
                .outcome(AuditEvent.REFUSED));
    }

    /**
     * The registration of this client, when the token is its registration access token. Any other token, a deleted or
     * disabled client, a client id that cannot exist: the same 401, so that nobody learns which clients exist.
     */
    RegistrationAccessTokens.Registered authorize(String clientId, String bearerToken) {
        if (bearerToken == null) {
            throw RegistrationError.missingToken("The registration access token is required");
        }
        if (clientId == null || !clientId.matches(CLIENT_ID)) {
            throw RegistrationDenied.unknown();
        }
        RegistrationAccessTokens.Registered registered = accessTokens.find(clientId, bearerToken)
                .orElseThrow(RegistrationDenied::unknown);
        ClientView client = administration.find(clientId).orElseThrow(RegistrationDenied::unknown);
        if (client.disabled() || !ClientAdministration.REGISTERED.equals(client.source())) {
            throw RegistrationDenied.unknown();
        }
        return registered;
    }

    /**
     * RFC 7592 section 2.2: a client_secret sent with an update must be the client's current one (it can never be
     * set by the client). Checked only when sent.
     */
    private void checkSecretIfSent(String clientId, String secret) {
        if (secret == null) {
            return;
        }
        RegisteredClient stored = clients.findByClientId(clientId);
        if (stored == null || stored.getClientSecret() == null || secret.length() > 200
                || !passwordEncoder.matches(secret, stored.getClientSecret())) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA,
                    "client_secret is not the client's current secret; leave it out");
        }
    }

    /**
     * Every client rule the draft breaks, as one error: {@code invalid_redirect_uri} when a redirect URI is among them
     * (RFC 7591 section 3.2.2), else {@code invalid_client_metadata}. The sentences name the metadata fields.
     */
    private static RegistrationError refusal(List<ClientProblem> problems) {
        boolean redirect = problems.stream().anyMatch(problem -> "redirect-uris".equals(problem.property()));
        String description = String.join("; ", problems.stream().map(MetadataNames::inMessage)
                .toList());
        return RegistrationError.badRequest(redirect ? RegistrationError.INVALID_REDIRECT_URI
                : RegistrationError.INVALID_CLIENT_METADATA, description);
    }

    private String configurationUri(String clientId) {
        return RegistrationEndpointAddress.url(issuer.url()) + "/" + clientId;
    }

    private static String actor(String clientId) {
        return "client:" + clientId;
    }

    /** The 401 of a configuration request whose token does not fit the client, whatever the reason. */
    static final class RegistrationDenied {

        private RegistrationDenied() {
        }

        static RegistrationError unknown() {
            return RegistrationError.invalidToken("The registration access token is not valid for this client");
        }
    }
}
