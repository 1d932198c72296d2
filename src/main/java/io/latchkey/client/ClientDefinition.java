package io.latchkey.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

import io.latchkey.crypto.BcryptLengthLimit;
import io.latchkey.keys.KeysProperties;

/**
 * A client declared in configuration as {@code latchkey.clients.<client-id>.*}. Without a secret the
 * client is public. Every client must use PKCE (RFC 9700 section 2.1.1) unless a confidential one opts out
 * with {@code require-pkce: false}. A resource server may introspect every client's tokens; any other
 * client only its own. A client with a {@code backchannel-logout-uri} is sent a logout token when a browser
 * session it got an ID token in ends (OpenID Connect Back-Channel Logout 1.0). A client with
 * {@code require-mfa: true} gets codes only for sign-ins with a second factor or a passkey.
 */
record ClientDefinition(String secret, List<String> grantTypes, List<String> redirectUris,
        List<String> postLogoutRedirectUris, List<String> scopes, Boolean requireConsent, Duration accessTokenTtl,
        Duration refreshTokenTtl, String clientCredentialsTokens, String displayName, String logoUri,
        Boolean resourceServer, Boolean requirePkce, String backchannelLogoutUri,
        Boolean backchannelLogoutSessionRequired, Boolean requireMfa, String tokenEndpointAuthMethod,
        String jwksUri, String jwks, Boolean requirePushedAuthorizationRequests, Boolean dpopBoundAccessTokens,
        String subjectType, String sectorIdentifierUri, String resourceIndicator, List<String> tokenExchangeTargets) {

    static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(14);
    /** Shorter for public clients: a token kept in a browser or an app is easier to steal (RFC 9700 4.14.2). */
    static final Duration DEFAULT_PUBLIC_REFRESH_TOKEN_TTL = Duration.ofDays(7);
    static final Duration LONGEST_REFRESH_TOKEN_TTL = Duration.ofDays(365);
    static final int MIN_SECRET_LENGTH = 16;
    static final String STATELESS = "stateless";
    static final String STORED = "stored";
    static final String CLIENT_ID_PATTERN = "[A-Za-z0-9._~-]{1,100}";

    @ConstructorBinding
    ClientDefinition {
        grantTypes = trimmed(grantTypes);
        redirectUris = trimmed(redirectUris);
        postLogoutRedirectUris = trimmed(postLogoutRedirectUris);
        scopes = trimmed(scopes);
        requireConsent = requireConsent == null || requireConsent;
        accessTokenTtl = accessTokenTtl == null ? DEFAULT_ACCESS_TOKEN_TTL : accessTokenTtl;
        if (refreshTokenTtl == null) {
            boolean keyBased = tokenEndpointAuthMethod != null
                    && ClientExtensions.PRIVATE_KEY_JWT.equals(tokenEndpointAuthMethod.trim());
            refreshTokenTtl = (secret == null || secret.isEmpty()) && !keyBased ? DEFAULT_PUBLIC_REFRESH_TOKEN_TTL
                    : DEFAULT_REFRESH_TOKEN_TTL;
        }
        clientCredentialsTokens = clientCredentialsTokens == null ? STATELESS : clientCredentialsTokens.trim();
        resourceServer = Boolean.TRUE.equals(resourceServer);
        requirePkce = requirePkce == null || requirePkce;
        backchannelLogoutUri = backchannelLogoutUri == null || backchannelLogoutUri.isBlank() ? null
                : backchannelLogoutUri.trim();
        backchannelLogoutSessionRequired = backchannelLogoutSessionRequired == null || backchannelLogoutSessionRequired;
        requireMfa = Boolean.TRUE.equals(requireMfa);
        ClientExtensions extensions = new ClientExtensions(tokenEndpointAuthMethod, jwksUri, jwks,
                requirePushedAuthorizationRequests, dpopBoundAccessTokens, subjectType, sectorIdentifierUri,
                resourceIndicator, tokenExchangeTargets);
        tokenEndpointAuthMethod = extensions.tokenEndpointAuthMethod();
        jwksUri = extensions.jwksUri();
        jwks = extensions.jwks();
        requirePushedAuthorizationRequests = extensions.requirePushedAuthorizationRequests();
        dpopBoundAccessTokens = extensions.dpopBoundAccessTokens();
        subjectType = extensions.subjectType();
        sectorIdentifierUri = extensions.sectorIdentifierUri();
        resourceIndicator = extensions.resourceIndicator();
        tokenExchangeTargets = extensions.tokenExchangeTargets();
    }

    ClientDefinition(String secret, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Boolean requireConsent, Duration accessTokenTtl,
            Duration refreshTokenTtl, String clientCredentialsTokens, String displayName, String logoUri,
            Boolean resourceServer, Boolean requirePkce, String backchannelLogoutUri,
            Boolean backchannelLogoutSessionRequired, Boolean requireMfa, ClientExtensions extensions) {
        this(secret, grantTypes, redirectUris, postLogoutRedirectUris, scopes, requireConsent, accessTokenTtl,
                refreshTokenTtl, clientCredentialsTokens, displayName, logoUri, resourceServer, requirePkce,
                backchannelLogoutUri, backchannelLogoutSessionRequired, requireMfa,
                extensions.tokenEndpointAuthMethod(), extensions.jwksUri(), extensions.jwks(),
                extensions.requirePushedAuthorizationRequests(), extensions.dpopBoundAccessTokens(),
                extensions.subjectType(), extensions.sectorIdentifierUri(), extensions.resourceIndicator(),
                extensions.tokenExchangeTargets());
    }

    ClientDefinition(String secret, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Boolean requireConsent, Duration accessTokenTtl,
            Duration refreshTokenTtl, String clientCredentialsTokens, String displayName, String logoUri,
            Boolean resourceServer, Boolean requirePkce, String backchannelLogoutUri,
            Boolean backchannelLogoutSessionRequired, Boolean requireMfa) {
        this(secret, grantTypes, redirectUris, postLogoutRedirectUris, scopes, requireConsent, accessTokenTtl,
                refreshTokenTtl, clientCredentialsTokens, displayName, logoUri, resourceServer, requirePkce,
                backchannelLogoutUri, backchannelLogoutSessionRequired, requireMfa, ClientExtensions.NONE);
    }

    ClientDefinition(String secret, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Boolean requireConsent, Duration accessTokenTtl,
            Duration refreshTokenTtl, String clientCredentialsTokens, String displayName, String logoUri,
            Boolean resourceServer, Boolean requirePkce, String backchannelLogoutUri,
            Boolean backchannelLogoutSessionRequired) {
        this(secret, grantTypes, redirectUris, postLogoutRedirectUris, scopes, requireConsent, accessTokenTtl,
                refreshTokenTtl, clientCredentialsTokens, displayName, logoUri, resourceServer, requirePkce,
                backchannelLogoutUri, backchannelLogoutSessionRequired, null);
    }

    ClientDefinition(String secret, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Boolean requireConsent, Duration accessTokenTtl,
            Duration refreshTokenTtl, String clientCredentialsTokens, String displayName, String logoUri,
            Boolean resourceServer, Boolean requirePkce) {
        this(secret, grantTypes, redirectUris, postLogoutRedirectUris, scopes, requireConsent, accessTokenTtl,
                refreshTokenTtl, clientCredentialsTokens, displayName, logoUri, resourceServer, requirePkce, null, null,
                null);
    }

    ClientDefinition(String secret, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Boolean requireConsent, Duration accessTokenTtl,
            Duration refreshTokenTtl) {
        this(secret, grantTypes, redirectUris, postLogoutRedirectUris, scopes, requireConsent, accessTokenTtl,
                refreshTokenTtl, null, null, null, null, null, null, null, null);
    }

    /** Whether client-credentials access tokens skip the database (see {@link ClientPolicies}). */
    boolean statelessClientCredentials() {
        return STATELESS.equals(clientCredentialsTokens);
    }

    /** The settings of the standards beyond the core ({@link ClientExtensions}). */
    ClientExtensions extensions() {
        return new ClientExtensions(tokenEndpointAuthMethod, jwksUri, jwks, requirePushedAuthorizationRequests,
                dpopBoundAccessTokens, subjectType, sectorIdentifierUri, resourceIndicator, tokenExchangeTargets);
    }

    /** Whether the client has a secret. */
    boolean hasSecret() {
        return secret != null && !secret.isEmpty();
    }

    /** A client that cannot authenticate: no secret and no key ({@code private_key_jwt}). */
    boolean isPublic() {
        return !hasSecret() && !ClientExtensions.PRIVATE_KEY_JWT.equals(tokenEndpointAuthMethod);
    }

    /** Everything wrong with this definition, each as a sentence naming the property. */
    List<String> problems(String clientId) {
        return problems("latchkey.clients." + clientId + ".", clientId);
    }

    /** Everything wrong with this definition, each with the property it is about (for forms and API field errors). */
    List<ClientProblem> problemsByProperty(String clientId) {
        return problems("", clientId).stream().map(ClientProblem::of).toList();
    }

    private List<String> problems(String prefix, String clientId) {
        List<String> problems = new ArrayList<>();
        if (clientId == null || !clientId.matches(CLIENT_ID_PATTERN)) {
            String shown = clientId == null ? "" : clientId.length() > 200 ? clientId.substring(0, 200) + "..." : clientId;
            problems.add(prefix + "client-id '" + shown + "' may only use letters, digits and . _ ~ - (1 to 100)");
        }
        if (grantTypes.isEmpty()) {
            problems.add(prefix + "grant-types is required");
        }
        for (String grantType : grantTypes) {
            if (!SupportedGrantTypes.ALL.contains(grantType)) {
                problems.add(prefix + "grant-types: '" + grantType + "' is not one of " + SupportedGrantTypes.ALL);
            }
        }
        if (hasSecret() && secret.length() < MIN_SECRET_LENGTH) {
            problems.add(prefix + "secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (isPublic() && resourceServer) {
            problems.add(prefix + "resource-server needs a secret (introspection answers authenticated clients only)");
        }
        if (hasSecret() && !BcryptLengthLimit.fits(secret)) {
            problems.add(prefix + "secret must be at most " + BcryptLengthLimit.MAX_PASSWORD_BYTES
                    + " bytes in UTF-8 (bcrypt ignores the rest)");
        }
        if (isPublic() && grantTypes.contains("client_credentials")) {
            problems.add(prefix + "grant-types: client_credentials needs a secret or a key (a public client has neither)");
        }
        if (isPublic() && !requirePkce) {
            problems.add(prefix + "require-pkce cannot be false for a public client (it has no secret, PKCE is all "
                    + "that binds its code to it)");
        }
        if (requireMfa && grantTypes.contains("password")) {
            problems.add(prefix + "require-mfa cannot go with grant-types: password (a password alone is never a "
                    + "second factor; use authorization_code)");
        }
        if (grantTypes.contains("authorization_code") && redirectUris.isEmpty()) {
            problems.add(prefix + "redirect-uris is required for authorization_code");
        }
        problems.addAll(extensions().problems(prefix, hasSecret(), grantTypes, redirectUris));
        problems.addAll(SectorIdentifierUriRule.problems(prefix, extensions(), redirectUris));
        redirectUris.forEach(uri -> checkUri(prefix + "redirect-uris", uri, problems));
        postLogoutRedirectUris.forEach(uri -> checkUri(prefix + "post-logout-redirect-uris", uri, problems));
        if (backchannelLogoutUri != null) {
            problems.addAll(BackChannelLogoutUriRule.problems(prefix + "backchannel-logout-uri", backchannelLogoutUri,
                    grantTypes, scopes));
        }
        for (String scope : scopes) {
            // RFC 6749 section 3.3 scope-token characters
            if (!scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                problems.add(prefix + "scopes: '" + scope + "' is not a valid scope token");
            }
        }
        if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()
                || accessTokenTtl.compareTo(KeysProperties.LONGEST_TOKEN_LIFETIME) > 0) {
            problems.add(prefix + "access-token-ttl must be positive and at most " + KeysProperties.LONGEST_TOKEN_LIFETIME);
        }
        if (refreshTokenTtl.isNegative() || refreshTokenTtl.isZero()
                || refreshTokenTtl.compareTo(LONGEST_REFRESH_TOKEN_TTL) > 0) {
            problems.add(prefix + "refresh-token-ttl must be positive and at most " + LONGEST_REFRESH_TOKEN_TTL);
        }
        if (displayName != null && (displayName.length() > 100 || !displayName.matches("[^\\p{Cntrl}]*"))) {
            problems.add(prefix + "display-name must be at most 100 characters without control characters");
        }
        if (logoUri != null && !logoUri.matches("(https://|/static/)[^\\s\"'<>]{1,500}")) {
            problems.add(prefix + "logo-uri must be an https URL or a path under /static/ of the theme");
        }
        if (!STATELESS.equals(clientCredentialsTokens) && !STORED.equals(clientCredentialsTokens)) {
            problems.add(prefix + "client-credentials-tokens must be 'stateless' or 'stored'");
        }
        return problems;
    }

    private static void checkUri(String property, String value, List<String> problems) {
        RedirectUriRule.violation(value).ifPresent(violation -> problems.add(property + ": '" + value + "' " + violation));
    }

    private static List<String> trimmed(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().map(String::trim).filter(value -> !value.isEmpty()).distinct().toList();
    }
}
