package io.latchkey.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** Latchkey's own per-client settings, stored among the registered client's settings. */
public final class ClientPolicies {

    /**
     * Access tokens from {@code client_credentials} are not stored: no database write per token.
     * Introspection still answers for them by verifying the signature; revoking one puts it on a deny list.
     */
    static final String STATELESS_CLIENT_CREDENTIALS = "settings.latchkey.stateless-client-credentials";

    /** An https URL of the client's logo, shown on the login and consent pages. */
    static final String LOGO_URI = "settings.latchkey.logo-uri";

    /** The client is a resource server: introspection answers it for every client's tokens, not only its own. */
    static final String RESOURCE_SERVER = "settings.latchkey.resource-server";

    /** A client that was declared in configuration and no longer is: every endpoint treats it as unknown. */
    static final String DISABLED = "settings.latchkey.disabled";

    /**
     * When the client was last disabled (ISO-8601, whole seconds). Its stateless tokens issued until then
     * stay revoked when it is enabled again.
     */
    static final String TOKENS_REVOKED_UNTIL = "settings.latchkey.tokens-revoked-until";

    /** Where the client takes logout tokens (OpenID Connect Back-Channel Logout 1.0); empty for none. */
    static final String BACKCHANNEL_LOGOUT_URI = "settings.latchkey.backchannel-logout-uri";

    /** Whether the client wants {@code sid} in logout tokens; Latchkey always sends it. */
    static final String BACKCHANNEL_LOGOUT_SESSION_REQUIRED = "settings.latchkey.backchannel-logout-session-required";

    /** Sign-ins for the client need a second factor or a passkey ({@code require-mfa}). */
    static final String REQUIRE_MFA = "settings.latchkey.require-mfa";

    /**
     * The bcrypt hash of the secret the client had before its last rotation, accepted until
     * {@link #PREVIOUS_SECRET_UNTIL} so that the client's deployments can change over without an outage.
     */
    static final String PREVIOUS_SECRET_HASH = "settings.latchkey.previous-secret-hash";

    /** Until when (ISO-8601) the previous secret is accepted. */
    static final String PREVIOUS_SECRET_UNTIL = "settings.latchkey.previous-secret-until";

    /** The client's public keys as a JWK Set in JSON ({@code jwks}); its {@code jwks_uri} is the framework's jwkSetUrl. */
    static final String JWKS = "settings.latchkey.jwks";

    /** The authorization endpoint takes only pushed requests from this client (RFC 9126 section 6). */
    static final String REQUIRE_PUSHED_AUTHORIZATION_REQUESTS = "settings.latchkey.require-pushed-authorization-requests";

    /** The client's access tokens must be DPoP-bound (RFC 9449 section 5.2). */
    static final String DPOP_BOUND_ACCESS_TOKENS = "settings.latchkey.dpop-bound-access-tokens";

    /** {@code public} or {@code pairwise} (OpenID Connect Core 8). */
    static final String SUBJECT_TYPE = "settings.latchkey.subject-type";

    /** The sector identifier URI of a pairwise client, empty for none. */
    static final String SECTOR_IDENTIFIER_URI = "settings.latchkey.sector-identifier-uri";

    /** The resource indicator (RFC 8707) of a resource server, empty for none. */
    static final String RESOURCE_INDICATOR = "settings.latchkey.resource-indicator";

    /** The resource indicators the client may exchange tokens for (RFC 8693), space-separated. */
    static final String TOKEN_EXCHANGE_TARGETS = "settings.latchkey.token-exchange-targets";

    private ClientPolicies() {
    }

    /** The client's settings of the standards beyond the core, as stored. */
    public static ClientExtensions extensions(RegisteredClient client) {
        String targets = text(client, TOKEN_EXCHANGE_TARGETS);
        return new ClientExtensions(
                client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                        ? ClientExtensions.PRIVATE_KEY_JWT : null,
                client.getClientSettings().getJwkSetUrl(), text(client, JWKS),
                Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_PUSHED_AUTHORIZATION_REQUESTS)),
                Boolean.TRUE.equals(client.getClientSettings().getSetting(DPOP_BOUND_ACCESS_TOKENS)),
                text(client, SUBJECT_TYPE), text(client, SECTOR_IDENTIFIER_URI), text(client, RESOURCE_INDICATOR),
                targets == null ? List.of() : List.of(targets.split(" ")));
    }

    /** The client's public keys given inline as a JWK Set in JSON, or null (see also its jwkSetUrl). */
    public static String jwks(RegisteredClient client) {
        return text(client, JWKS);
    }

    public static boolean requiresPushedAuthorizationRequests(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_PUSHED_AUTHORIZATION_REQUESTS));
    }

    public static boolean requiresDpopBoundAccessTokens(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(DPOP_BOUND_ACCESS_TOKENS));
    }

    public static boolean hasPairwiseSubjects(RegisteredClient client) {
        return ClientExtensions.PAIRWISE_SUBJECT.equals(text(client, SUBJECT_TYPE));
    }

    /** The sector identifier URI of a pairwise client, or null. */
    public static String sectorIdentifierUri(RegisteredClient client) {
        return text(client, SECTOR_IDENTIFIER_URI);
    }

    /** The resource indicator of a resource server (RFC 8707), or null. */
    public static String resourceIndicator(RegisteredClient client) {
        return text(client, RESOURCE_INDICATOR);
    }

    /** The resource indicators the client may exchange tokens for (RFC 8693). */
    public static List<String> tokenExchangeTargets(RegisteredClient client) {
        String targets = text(client, TOKEN_EXCHANGE_TARGETS);
        return targets == null ? List.of() : List.of(targets.split(" "));
    }

    private static String text(RegisteredClient client, String setting) {
        return client.getClientSettings().getSetting(setting) instanceof String value && !value.isBlank() ? value
                : null;
    }

    /** Until when the client's previous secret is accepted, if it has one (past or not). */
    public static Optional<Instant> previousSecretUntil(RegisteredClient client) {
        return client.getClientSettings().getSetting(PREVIOUS_SECRET_UNTIL) instanceof String until && !until.isEmpty()
                ? Optional.of(Instant.parse(until)) : Optional.empty();
    }

    /** The hash of the client's previous secret while it is still accepted at {@code now}. */
    public static Optional<String> previousSecretHash(RegisteredClient client, Instant now) {
        return client.getClientSettings().getSetting(PREVIOUS_SECRET_HASH) instanceof String hash && !hash.isEmpty()
                && previousSecretUntil(client).filter(now::isBefore).isPresent() ? Optional.of(hash) : Optional.empty();
    }

    /** Whether the client takes only sign-ins that proved a second factor or a passkey. */
    public static boolean requiresMfa(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_MFA));
    }

    /** Where the client takes logout tokens, or null when it registered no back-channel logout URI. */
    public static String backchannelLogoutUri(RegisteredClient client) {
        Object uri = client.getClientSettings().getSetting(BACKCHANNEL_LOGOUT_URI);
        return uri instanceof String value && !value.isBlank() ? value : null;
    }

    public static boolean backchannelLogoutSessionRequired(RegisteredClient client) {
        return !Boolean.FALSE.equals(client.getClientSettings().getSetting(BACKCHANNEL_LOGOUT_SESSION_REQUIRED));
    }

    /** The client's logo URL, or null. */
    public static String logoUri(RegisteredClient client) {
        Object logo = client.getClientSettings().getSetting(LOGO_URI);
        return logo instanceof String uri && !uri.isBlank() ? uri : null;
    }

    public static boolean isResourceServer(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(RESOURCE_SERVER));
    }

    public static boolean hasStatelessClientCredentials(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(STATELESS_CLIENT_CREDENTIALS));
    }

    /** Whether a token issued to the client at {@code issuedAt} was revoked when the client was disabled. */
    public static boolean revokesTokensIssuedAt(RegisteredClient client, Instant issuedAt) {
        Object until = client.getClientSettings().getSetting(TOKENS_REVOKED_UNTIL);
        return until instanceof String instant && !instant.isEmpty() && !issuedAt.isAfter(Instant.parse(instant));
    }

    static boolean isDisabled(RegisteredClient client) {
        return Boolean.TRUE.equals(client.getClientSettings().getSetting(DISABLED));
    }
}
