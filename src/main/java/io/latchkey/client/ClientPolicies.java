package io.latchkey.client;

import java.util.Optional;

import java.time.Instant;

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

    private ClientPolicies() {
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
