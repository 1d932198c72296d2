package io.latchkey.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;

/**
 * A client's settings for the standards beyond the core of OAuth and OpenID Connect, each off unless the client asks
 * for it: key-based client authentication ({@code private_key_jwt}, RFC 7523, with the client's public keys as
 * {@code jwks} or {@code jwks_uri}), pushed authorization requests (RFC 9126), DPoP-bound tokens (RFC 9449),
 * pairwise subjects (OpenID Connect Core 8.1), the resource a resource server is (RFC 8707) and the targets a
 * client may exchange tokens for (RFC 8693). In configuration they sit beside the other settings of a client
 * ({@code latchkey.clients.<client-id>.jwks-uri} and so on); dynamic registration takes them under their RFC names.
 *
 * @param tokenEndpointAuthMethod null for the default (the secret's methods, or {@code none} for a public client),
 *        or {@value #PRIVATE_KEY_JWT}: the client has no secret and signs a client assertion with its key
 * @param jwksUri where the client publishes its public keys (https, or http on a loopback address)
 * @param jwks the client's public keys as a JWK Set in JSON, for a client that publishes none
 * @param requirePushedAuthorizationRequests the authorization endpoint takes only {@code request_uri}s pushed
 *        before (RFC 9126 section 6 {@code require_pushed_authorization_requests})
 * @param dpopBoundAccessTokens the client's access tokens must be DPoP-bound (RFC 9449 section 5.2)
 * @param subjectType {@value #PUBLIC_SUBJECT} (null: the default) or {@value #PAIRWISE_SUBJECT}
 * @param sectorIdentifierUri for a pairwise client whose redirect URIs have more than one host: an https URL that
 *        lists them (OpenID Connect Core 8.1)
 * @param resourceIndicator for a resource server: the absolute URI that clients name in {@code resource} to get
 *        a token for it, and that its tokens carry as {@code aud} (RFC 8707)
 * @param tokenExchangeTargets the resource indicators the client may exchange a user's token for (RFC 8693); only
 *        with the token-exchange grant
 */
public record ClientExtensions(String tokenEndpointAuthMethod, String jwksUri, String jwks,
        Boolean requirePushedAuthorizationRequests, Boolean dpopBoundAccessTokens, String subjectType,
        String sectorIdentifierUri, String resourceIndicator, List<String> tokenExchangeTargets) {

    public static final String PRIVATE_KEY_JWT = "private_key_jwt";
    public static final String PUBLIC_SUBJECT = "public";
    public static final String PAIRWISE_SUBJECT = "pairwise";
    /** Fits the stored client's settings column with room for the rest. */
    public static final int MAX_JWKS_LENGTH = 8000;
    public static final int MAX_URI_LENGTH = 500;

    /** Every extension off. */
    public static final ClientExtensions NONE = new ClientExtensions(null, null, null, null, null, null, null, null,
            null);

    public ClientExtensions {
        tokenEndpointAuthMethod = blankToNull(tokenEndpointAuthMethod);
        jwksUri = blankToNull(jwksUri);
        jwks = blankToNull(jwks);
        requirePushedAuthorizationRequests = Boolean.TRUE.equals(requirePushedAuthorizationRequests);
        dpopBoundAccessTokens = Boolean.TRUE.equals(dpopBoundAccessTokens);
        subjectType = subjectType == null || subjectType.isBlank() ? PUBLIC_SUBJECT : subjectType.trim();
        sectorIdentifierUri = blankToNull(sectorIdentifierUri);
        resourceIndicator = blankToNull(resourceIndicator);
        tokenExchangeTargets = tokenExchangeTargets == null ? List.of()
                : tokenExchangeTargets.stream().map(String::trim).filter(target -> !target.isEmpty()).distinct()
                        .toList();
    }

    /** Whether the client authenticates with a signed assertion instead of a secret. */
    public boolean privateKeyJwt() {
        return PRIVATE_KEY_JWT.equals(tokenEndpointAuthMethod);
    }

    public boolean pairwise() {
        return PAIRWISE_SUBJECT.equals(subjectType);
    }

    /** Whether the client registered public keys, inline or by URL. */
    public boolean hasKeys() {
        return jwks != null || jwksUri != null;
    }

    /**
     * Everything wrong with these settings, each as a sentence starting with the property, {@code prefix} before
     * it. {@code hasSecret}: the client has a client secret.
     */
    List<String> problems(String prefix, boolean hasSecret, List<String> grantTypes, List<String> redirectUris) {
        List<String> problems = new ArrayList<>();
        if (tokenEndpointAuthMethod != null && !PRIVATE_KEY_JWT.equals(tokenEndpointAuthMethod)) {
            problems.add(prefix + "token-endpoint-auth-method must be " + PRIVATE_KEY_JWT
                    + " or left out (the secret's methods, or none for a public client)");
        }
        if (privateKeyJwt() && hasSecret) {
            problems.add(prefix + "token-endpoint-auth-method: " + PRIVATE_KEY_JWT + " goes without a secret");
        }
        if (privateKeyJwt() && !hasKeys()) {
            problems.add(prefix + "token-endpoint-auth-method: " + PRIVATE_KEY_JWT + " needs jwks or jwks-uri");
        }
        if (jwks != null && jwksUri != null) {
            problems.add(prefix + "jwks and jwks-uri cannot both be given (RFC 7591 section 2)");
        }
        if (jwks != null && jwks.length() > MAX_JWKS_LENGTH) {
            problems.add(prefix + "jwks must be at most " + MAX_JWKS_LENGTH + " characters");
        }
        else if (jwks != null) {
            jwksProblem(jwks).ifPresent(problem -> problems.add(prefix + "jwks " + problem));
        }
        tooLong(prefix + "jwks-uri", jwksUri, problems);
        if (jwksUri != null && !fetchable(jwksUri)) {
            problems.add(prefix + "jwks-uri must be an https URL (http only on a loopback address)");
        }
        if (sectorIdentifierUri != null && !fetchable(sectorIdentifierUri)) {
            problems.add(prefix + "sector-identifier-uri must be an https URL (http only on a loopback address)");
        }
        tooLong(prefix + "sector-identifier-uri", sectorIdentifierUri, problems);
        tooLong(prefix + "resource-indicator", resourceIndicator, problems);
        if (!PUBLIC_SUBJECT.equals(subjectType) && !PAIRWISE_SUBJECT.equals(subjectType)) {
            problems.add(prefix + "subject-type must be public or pairwise");
        }
        if (sectorIdentifierUri != null && !pairwise()) {
            problems.add(prefix + "sector-identifier-uri is only for subject-type: pairwise");
        }
        if (!tokenExchangeTargets.isEmpty() && !grantTypes.contains(SupportedGrantTypes.TOKEN_EXCHANGE.getValue())) {
            problems.add(prefix + "token-exchange-targets needs grant-types: "
                    + SupportedGrantTypes.TOKEN_EXCHANGE.getValue());
        }
        if (resourceIndicator != null && !resourceUri(resourceIndicator)) {
            problems.add(prefix + "resource-indicator must be an absolute URI without a fragment (RFC 8707 section 2)");
        }
        for (String target : tokenExchangeTargets) {
            tooLong(prefix + "token-exchange-targets", target, problems);
            if (!resourceUri(target)) {
                problems.add(prefix + "token-exchange-targets: '" + target.replaceAll("\\p{Cntrl}", "?")
                        + "' is not an absolute URI without a fragment (RFC 8707 section 2)");
            }
        }
        return problems;
    }

    /** What is wrong with a JWK Set given inline: not one, empty, or holding a private or symmetric key. */
    private static Optional<String> jwksProblem(String jwks) {
        try {
            JWKSet set = JWKSet.parse(jwks);
            if (set.getKeys().isEmpty()) {
                return Optional.of("must hold at least one key");
            }
            for (JWK key : set.getKeys()) {
                if (key.isPrivate() || key instanceof OctetSequenceKey) {
                    return Optional.of("must hold public keys only (a private or symmetric key is never sent to a server)");
                }
            }
            return Optional.empty();
        }
        catch (ParseException ex) {
            return Optional.of("must be a JWK Set in JSON (RFC 7517 section 5)");
        }
    }

    /** https, or http on a loopback address (development and tests); no credentials, no fragment. */
    private static boolean fetchable(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            String host = parsed.getHost() == null ? "" : parsed.getHost();
            boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
            return (scheme.equals("https") || scheme.equals("http") && loopback) && !host.isEmpty()
                    && parsed.getRawUserInfo() == null && parsed.getRawFragment() == null;
        }
        catch (URISyntaxException ex) {
            return false;
        }
    }

    /** An absolute URI without a fragment, as RFC 8707 section 2 wants a resource indicator. */
    private static boolean resourceUri(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getRawFragment() == null && !value.matches(".*\\p{Cntrl}.*");
        }
        catch (URISyntaxException ex) {
            return false;
        }
    }

    private static void tooLong(String property, String value, List<String> problems) {
        if (value != null && value.length() > MAX_URI_LENGTH) {
            problems.add(property + " must be at most " + MAX_URI_LENGTH + " characters");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
