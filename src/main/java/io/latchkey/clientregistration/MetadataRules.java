package io.latchkey.clientregistration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.util.JSONObjectUtils;

import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;

/**
 * Client metadata as Latchkey registers it (RFC 7591 section 2): the defaults of the RFC where a field is missing
 * ({@code grant_types} {@code authorization_code}, {@code token_endpoint_auth_method} {@code client_secret_basic},
 * {@code response_types} as the grant types need, {@code scope} {@value #DEFAULT_SCOPE} for the code flow), only the
 * response type {@code code}, only the client authentication methods Latchkey offers, never the scope of initial
 * access tokens, and sizes the client store can hold. A dynamically registered client always uses PKCE and always
 * asks for consent. The rest of the rules (redirect URIs, grant types, scopes, names) are every client's, checked by
 * {@code ClientAdministration}.
 */
final class MetadataRules {

    static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    static final String CLIENT_SECRET_POST = "client_secret_post";
    static final String NONE = "none";
    static final String PRIVATE_KEY_JWT = ClientExtensions.PRIVATE_KEY_JWT;
    static final Set<String> AUTH_METHODS = Set.of(CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, NONE, PRIVATE_KEY_JWT);
    /** What a client may ask for and gets when it asks for nothing, for sign-ins. */
    static final String DEFAULT_SCOPE = "openid";
    /** Reserved to the clients an admin declares: initial access tokens carry it. */
    static final String CLIENT_CREATE_SCOPE = "client.create";

    /** The stored client keeps its URI lists and scopes in columns of 1,000 characters, its settings in 2,000. */
    static final int MAX_URIS = 10;
    static final int MAX_URI_LENGTH = 300;
    static final int MAX_JOINED_LENGTH = 1000;
    static final int MAX_SCOPES = 30;

    private MetadataRules() {
    }

    /** What a registration asks for, once the metadata passed these rules. */
    record Registration(ClientDraft draft, String authMethod) {
    }

    static Registration apply(ClientMetadata metadata) {
        String authMethod = metadata.tokenEndpointAuthMethod() == null ? CLIENT_SECRET_BASIC
                : metadata.tokenEndpointAuthMethod();
        if (!AUTH_METHODS.contains(authMethod)) {
            throw invalid("token_endpoint_auth_method must be one of client_secret_basic, client_secret_post, none, "
                    + "private_key_jwt");
        }
        List<String> grantTypes = metadata.grantTypes() == null || metadata.grantTypes().isEmpty()
                ? List.of("authorization_code") : metadata.grantTypes();
        boolean codeGrant = grantTypes.contains("authorization_code");
        // omitted: what the grant types need (RFC 7591 section 2.1 keeps the two consistent)
        List<String> responseTypes = metadata.responseTypes() == null ? codeGrant ? List.of("code") : List.of()
                : metadata.responseTypes();
        for (String responseType : responseTypes) {
            if (!responseType.equals("code")) {
                throw invalid("response_types: only code is supported");
            }
        }
        if (codeGrant != responseTypes.contains("code")) {
            throw invalid("response_types must be [\"code\"] with the authorization_code grant, and [] without it "
                    + "(RFC 7591 section 2.1)");
        }
        List<String> redirectUris = uris("redirect_uris", metadata.redirectUris());
        List<String> postLogoutRedirectUris = uris("post_logout_redirect_uris", metadata.postLogoutRedirectUris());
        List<String> scopes = scopes(metadata.scope(), codeGrant);
        shortEnough("logo_uri", metadata.logoUri());
        shortEnough("backchannel_logout_uri", metadata.backchannelLogoutUri());
        shortEnough("jwks_uri", metadata.jwksUri());
        shortEnough("sector_identifier_uri", metadata.sectorIdentifierUri());
        boolean secret = !NONE.equals(authMethod) && !PRIVATE_KEY_JWT.equals(authMethod);
        ClientExtensions extensions = new ClientExtensions(PRIVATE_KEY_JWT.equals(authMethod) ? PRIVATE_KEY_JWT : null,
                metadata.jwksUri(), metadata.jwks() == null ? null : JSONObjectUtils.toJSONString(metadata.jwks()),
                metadata.requirePushedAuthorizationRequests(), metadata.dpopBoundAccessTokens(), metadata.subjectType(),
                metadata.sectorIdentifierUri(), null, null);
        ClientDraft draft = new ClientDraft(metadata.clientName(), secret, grantTypes, redirectUris,
                postLogoutRedirectUris, scopes, true, true, null, null, metadata.logoUri(), null,
                metadata.backchannelLogoutUri(), extensions);
        return new Registration(draft, authMethod);
    }

    private static List<String> uris(String field, List<String> uris) {
        if (uris == null) {
            return List.of();
        }
        if (uris.size() > MAX_URIS) {
            throw invalid(field, field + " may list at most " + MAX_URIS + " URIs");
        }
        for (String uri : uris) {
            if (uri.length() > MAX_URI_LENGTH) {
                throw invalid(field, field + ": a URI may have at most " + MAX_URI_LENGTH + " characters");
            }
        }
        if (String.join(",", uris).length() > MAX_JOINED_LENGTH) {
            throw invalid(field, field + " may hold at most " + MAX_JOINED_LENGTH + " characters in all");
        }
        return uris;
    }

    /** RFC 7591 section 2: a space-separated list; none asked for is {@value #DEFAULT_SCOPE} for sign-ins. */
    private static List<String> scopes(String scope, boolean codeGrant) {
        if (scope == null || scope.isBlank()) {
            return codeGrant ? List.of(DEFAULT_SCOPE) : List.of();
        }
        if (scope.length() > MAX_JOINED_LENGTH) {
            throw invalid("scope may hold at most " + MAX_JOINED_LENGTH + " characters");
        }
        List<String> scopes = new ArrayList<>(Arrays.stream(scope.strip().split(" +")).distinct().toList());
        if (scopes.size() > MAX_SCOPES) {
            throw invalid("scope may list at most " + MAX_SCOPES + " scopes");
        }
        if (scopes.contains(CLIENT_CREATE_SCOPE)) {
            throw invalid("scope: " + CLIENT_CREATE_SCOPE + " is for clients an admin declares, never for a "
                    + "registered one");
        }
        return scopes;
    }

    private static void shortEnough(String field, String value) {
        if (value != null && value.length() > MAX_URI_LENGTH) {
            throw invalid(field + ": a URI may have at most " + MAX_URI_LENGTH + " characters");
        }
    }

    /** A problem of the redirect URIs is {@code invalid_redirect_uri} (RFC 7591 section 3.2.2). */
    private static RegistrationError invalid(String field, String description) {
        return field.equals("redirect_uris")
                ? RegistrationError.badRequest(RegistrationError.INVALID_REDIRECT_URI, description)
                : invalid(description);
    }

    private static RegistrationError invalid(String description) {
        return RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA, description);
    }
}
