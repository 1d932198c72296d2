package io.latchkey.tokens;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.util.StringUtils;

/**
 * The one table of what {@link AuthorizationStore} keeps of an authorization, one row of
 * {@code authorization_tokens} each: the {@code token_type} column value it is stored under, how it is read
 * out of an {@link OAuth2Authorization} and how it is put back into one. A new grant whose tokens must be
 * stored adds them here and nowhere else; until it does, saving an authorization that holds them fails
 * ({@link AuthorizationStore#save}) instead of losing them.
 */
enum StoredTokenType {

    CODE(OAuth2ParameterNames.CODE, OAuth2AuthorizationCode.class) {
        @Override
        OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
                Map<String, Object> claims) {
            return new OAuth2AuthorizationCode(value, issuedAt, expiresAt);
        }
    },
    ACCESS_TOKEN("access_token", OAuth2AccessToken.class) {
        @Override
        Map<String, Object> extraMetadata(OAuth2Token token) {
            return Map.of(SCOPES, String.join(" ", ((OAuth2AccessToken) token).getScopes()));
        }

        @Override
        OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
                Map<String, Object> claims) {
            return new OAuth2AccessToken(StatelessAccessTokens.typeOf(claims), value, issuedAt, expiresAt,
                    AuthorizationStore.scopes((String) metadata.get(SCOPES)));
        }
    },
    REFRESH_TOKEN("refresh_token", OAuth2RefreshToken.class) {
        @Override
        OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
                Map<String, Object> claims) {
            return new OAuth2RefreshToken(value, issuedAt, expiresAt);
        }
    },
    ID_TOKEN("id_token", OidcIdToken.class) {
        @Override
        OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
                Map<String, Object> claims) {
            return new OidcIdToken(value, issuedAt, expiresAt, claims);
        }
    },
    /**
     * The device code of the device authorization grant (RFC 8628): looked up by the token endpoint with the value the
     * device polls with, so only its keyed hash is kept, as for every token.
     */
    DEVICE_CODE(OAuth2ParameterNames.DEVICE_CODE, OAuth2DeviceCode.class) {
        @Override
        OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
                Map<String, Object> claims) {
            return new OAuth2DeviceCode(value, issuedAt, expiresAt);
        }
    },
    /**
     * The user code of the device authorization grant, looked up with what the user typed on the activation page
     * (normalized to its one spelling first, see {@code io.latchkey.oauth.device}); kept as a keyed hash only, so a
     * copy of the table cannot be typed in.
     */
    USER_CODE(OAuth2ParameterNames.USER_CODE, OAuth2UserCode.class) {
        @Override
        OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
                Map<String, Object> claims) {
            return new OAuth2UserCode(value, issuedAt, expiresAt);
        }
    },
    /**
     * The {@code state} of an authorization request waiting for consent: an attribute, not a token, but looked
     * up by its value like one, so stored hashed like one.
     */
    STATE(OAuth2ParameterNames.STATE, null) {
        @Override
        Optional<Held> heldBy(OAuth2Authorization authorization) {
            String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
            return StringUtils.hasText(state)
                    ? Optional.of(new Held(state, null, null, false, null, Map.of()))
                    : Optional.empty();
        }

        @Override
        void putBack(OAuth2Authorization.Builder builder, String value, AuthorizationRecords.TokenRow row,
                Map<String, Object> metadata, Map<String, Object> claims) {
            builder.attribute(OAuth2ParameterNames.STATE, value);
        }

        @Override
        OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
                Map<String, Object> claims) {
            throw new UnsupportedOperationException("The state is an attribute, not a token");
        }
    };

    private static final String SCOPES = "scopes";

    private final String column;
    private final Class<? extends OAuth2Token> tokenClass;

    StoredTokenType(String column, Class<? extends OAuth2Token> tokenClass) {
        this.column = column;
        this.tokenClass = tokenClass;
    }

    /** The value of {@code authorization_tokens.token_type}, which is also the token type lookups name. */
    String column() {
        return column;
    }

    static StoredTokenType ofColumn(String column) {
        for (StoredTokenType type : values()) {
            if (type.column.equals(column)) {
                return type;
            }
        }
        throw new IllegalStateException("Unknown stored token type " + column);
    }

    /** This type's token in the authorization, as it is to be stored; empty when the authorization has none. */
    Optional<Held> heldBy(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(tokenClass);
        if (token == null) {
            return Optional.empty();
        }
        OAuth2Token value = token.getToken();
        Map<String, Object> claims = token.getClaims() == null && value instanceof OidcIdToken idToken
                ? idToken.getClaims() : token.getClaims();
        return Optional.of(new Held(value.getTokenValue(), value.getIssuedAt(), value.getExpiresAt(),
                token.isInvalidated(), claims, extraMetadata(value)));
    }

    /** What besides claims the row's metadata keeps to rebuild the token. */
    Map<String, Object> extraMetadata(OAuth2Token token) {
        return Map.of();
    }

    /** Puts a stored row back into the authorization being read, with {@code value} as its token value. */
    void putBack(OAuth2Authorization.Builder builder, String value, AuthorizationRecords.TokenRow row,
            Map<String, Object> metadata, Map<String, Object> claims) {
        builder.token(rebuild(value, row.issuedAt(), row.expiresAt(), metadata, claims), tokenMetadata -> {
            tokenMetadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, row.invalidated());
            if (claims != null) {
                tokenMetadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims);
            }
        });
    }

    abstract OAuth2Token rebuild(String value, Instant issuedAt, Instant expiresAt, Map<String, Object> metadata,
            Map<String, Object> claims);

    /**
     * Refuses an authorization that holds a token this table does not know: saving it would silently drop that
     * token. {@link OAuth2Authorization} offers no list of the tokens it holds, so this compares it with a copy
     * that holds only the tokens of this table: the two are equal exactly when nothing else is in it (its
     * {@code equals} covers every token with its metadata).
     */
    static void requireOnlyKnownTokens(OAuth2Authorization authorization) {
        Map<Class<? extends OAuth2Token>, OAuth2Authorization.Token<?>> known = new LinkedHashMap<>();
        for (StoredTokenType type : values()) {
            if (type.tokenClass != null && authorization.getToken(type.tokenClass) != null) {
                known.put(type.tokenClass, authorization.getToken(type.tokenClass));
            }
        }
        OAuth2Authorization withKnownTokensOnly = new KnownTokensOnly(authorization, known).build();
        if (!withKnownTokensOnly.equals(authorization)) {
            throw new IllegalArgumentException("Authorization " + authorization.getId()
                    + " holds a token type the authorization store does not know; add it to "
                    + StoredTokenType.class.getName() + " (known: " + Arrays.stream(values())
                    .filter(type -> type.tokenClass != null).map(type -> type.tokenClass.getSimpleName())
                    .collect(Collectors.joining(", ")) + ")");
        }
    }

    /**
     * A token (or the state) as an authorization holds it. {@code extraMetadata}: what the row keeps besides the
     * claims.
     */
    record Held(String value, Instant issuedAt, Instant expiresAt, boolean invalidated, Map<String, Object> claims,
            Map<String, Object> extraMetadata) {
    }

    /** The authorization's copy with only the given tokens: the framework lets only a builder subclass set them. */
    private static final class KnownTokensOnly extends OAuth2Authorization.Builder {

        KnownTokensOnly(OAuth2Authorization authorization,
                Map<Class<? extends OAuth2Token>, OAuth2Authorization.Token<?>> tokens) {
            super(authorization.getRegisteredClientId());
            id(authorization.getId());
            principalName(authorization.getPrincipalName());
            authorizationGrantType(authorization.getAuthorizationGrantType());
            authorizedScopes(authorization.getAuthorizedScopes());
            attributes(attributes -> attributes.putAll(authorization.getAttributes()));
            tokens(tokens);
        }
    }
}
