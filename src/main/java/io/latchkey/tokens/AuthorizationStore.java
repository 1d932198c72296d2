package io.latchkey.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.client.ClientPolicies;

/**
 * Stores authorizations without storing any token value (see {@link TokenHasher}). A token read back
 * from the store carries its value only if it is the one the lookup was made with; the others carry a
 * placeholder that stands for their hash and that no client can present.
 *
 * <p>Rules kept here: a rotated refresh token presented again revokes everything issued from that login
 * (reuse detection); two requests that change the same authorization at once cannot both win (the loser
 * gets {@code invalid_grant}); client-credentials tokens of clients with stateless tokens are not written,
 * and revoking one puts it on the deny list ({@link RevokedAccessTokens}).
 */
@Service
public class HashedAuthorizationService implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(HashedAuthorizationService.class);

    static final String CODE = OAuth2ParameterNames.CODE;
    static final String ACCESS_TOKEN = "access_token";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String ID_TOKEN = "id_token";
    static final String STATE = OAuth2ParameterNames.STATE;
    /** How long an authorization waiting for consent, or holding only an unexpired code, is kept. */
    static final Duration PENDING_LIFETIME = Duration.ofMinutes(30);
    private static final String PLACEHOLDER_PREFIX = "\u0000stored-hash:";
    private static final int REVOCATION_ATTEMPTS = 3;

    private final AuthorizationRecords records;
    private final TokenHasher hasher;
    private final AuthorizationCodec codec = new AuthorizationCodec();
    private final RegisteredClientRepository clients;
    private final StatelessAccessTokens statelessTokens;
    private final RevokedAccessTokens revokedTokens;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AuditLog audit;

    HashedAuthorizationService(AuthorizationRecords records, TokenHasher hasher, RegisteredClientRepository clients,
            StatelessAccessTokens statelessTokens, RevokedAccessTokens revokedTokens, TransactionTemplate transactions,
            Clock clock, AuditLog audit) {
        this.audit = audit;
        this.records = records;
        this.hasher = hasher;
        this.clients = clients;
        this.statelessTokens = statelessTokens;
        this.revokedTokens = revokedTokens;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        if (client != null && AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())
                && ClientPolicies.hasStatelessClientCredentials(client)) {
            denyIfRevoked(authorization);
            return;
        }
        List<HashedToken> tokens = tokenRows(authorization);
        Instant expiresAt = expiryOf(tokens.stream().map(HashedToken::row).toList());
        AuthorizationRecords.AuthorizationRow row = new AuthorizationRecords.AuthorizationRow(authorization.getId(),
                authorization.getRegisteredClientId(), authorization.getPrincipalName(),
                authorization.getAuthorizationGrantType().getValue(),
                StringUtils.collectionToDelimitedString(authorization.getAuthorizedScopes(), " "),
                codec.writeAttributes(authorization.getAttributes()), 0, null);
        Integer version = authorization.getAttribute(AuthorizationCodec.VERSION_ATTRIBUTE);
        try {
            write(row, version, expiresAt, tokens);
        }
        catch (ConcurrencyFailureException lockConflict) {
            // a revocation or another refresh of the same login holds the row: that one wins
            throw usedConcurrently();
        }
    }

    /**
     * Issuing a stateless token saves its authorization with the token valid, and writes nothing; the
     * revocation endpoint saves it with the token invalidated (after checking that the token was issued to
     * the client revoking it), which puts it on the deny list.
     */
    private void denyIfRevoked(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        if (accessToken != null && accessToken.isInvalidated() && accessToken.getClaims() != null
                && accessToken.getClaims().get("jti") instanceof String jti) {
            revokedTokens.revoke(jti, accessToken.getToken().getExpiresAt());
        }
    }

    private void write(AuthorizationRecords.AuthorizationRow row, Integer version, Instant expiresAt,
            List<HashedToken> tokens) {
        transactions.executeWithoutResult(status -> {
            if (version == null) {
                insertOrUpdate(row, expiresAt);
            }
            else if (!records.update(row, version, expiresAt)) {
                throw usedConcurrently();
            }
            Map<String, String> existing = records.currentTokens(row.id());
            for (HashedToken hashed : tokens) {
                AuthorizationRecords.TokenRow token = storedAs(hashed, existing);
                if (existing.remove(token.hash()) != null) {
                    records.updateToken(token);
                }
                else {
                    records.insertToken(row.id(), token);
                }
            }
            existing.keySet().forEach(records::retireToken);
        });
    }

    /**
     * The row as it is stored: a token that the authorization already holds under a previous master key keeps
     * that hash (and key id), so that it stays one row; anything new is hashed under the current key.
     */
    private static AuthorizationRecords.TokenRow storedAs(HashedToken token, Map<String, String> existing) {
        AuthorizationRecords.TokenRow row = token.row();
        if (existing.containsKey(row.hash())) {
            return row;
        }
        for (TokenHasher.KeyedHash alternative : token.previousKeyHashes()) {
            if (existing.containsKey(alternative.hash())) {
                return new AuthorizationRecords.TokenRow(alternative.hash(), row.type(), row.issuedAt(), row.expiresAt(),
                        row.invalidated(), row.metadata(), alternative.keyId());
            }
        }
        return row;
    }

    private static OAuth2AuthenticationException usedConcurrently() {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                "The grant was used by another request at the same time", null));
    }

    private void insertOrUpdate(AuthorizationRecords.AuthorizationRow row, Instant expiresAt) {
        try {
            records.insert(row, expiresAt);
        }
        catch (DuplicateKeyException savedBefore) {
            // the same new authorization saved a second time: nothing concurrent, just an update
            records.findById(row.id()).ifPresent(found -> records.update(row, found.authorization().version(), expiresAt));
        }
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        records.delete(authorization.getId());
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return records.findById(id).map(found -> toAuthorization(found, null, null)).orElse(null);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (!StringUtils.hasText(token)) {
            return null;
        }
        String type = tokenType == null ? null : tokenType.getValue();
        AuthorizationRecords.Found found = records.findByTokenHash(hasher.candidateHashes(token), type).orElse(null);
        if (found == null) {
            return type == null || ACCESS_TOKEN.equals(type) ? statelessTokens.find(token).orElse(null) : null;
        }
        if (!found.hitCurrent()) {
            if (REFRESH_TOKEN.equals(found.hitType())) {
                revokeFamily(found);
            }
            return null;
        }
        return toAuthorization(found, found.hitHash(), token);
    }

    /**
     * A rotated refresh token came back: someone holds a copy. End everything issued from that login,
     * and say so once (a thief retrying the token after that finds nothing left to end).
     */
    private void revokeFamily(AuthorizationRecords.Found found) {
        if (!revokeAll(found.authorization().id())) {
            return;
        }
        log.warn("Rotated refresh token presented again for client {}; revoked all tokens of authorization {}",
                found.authorization().registeredClientId(), found.authorization().id());
        audit.recordBestEffort(() -> {
            AuditEvent event = AuditEvent.of(AuditEventType.REFRESH_TOKEN_REUSED)
                    .subject(found.authorization().principalName())
                    .detail("client", found.authorization().registeredClientId());
            java.util.UUID user = userIdOf(found.authorization().principalName());
            return user == null ? event : event.user(user);
        });
    }

    /**
     * One transaction, authorization row first (see {@link AuthorizationRecords#revokeAll}). Revoking is
     * idempotent, so a lock conflict with a concurrent revocation of the same login is simply tried again.
     */
    private boolean revokeAll(String authorizationId) {
        for (int attempt = 1;; attempt++) {
            try {
                return Boolean.TRUE.equals(
                        transactions.execute(status -> records.revokeAll(authorizationId, clock.instant())));
            }
            catch (ConcurrencyFailureException conflict) {
                if (attempt == REVOCATION_ATTEMPTS) {
                    throw conflict;
                }
            }
        }
    }

    private static java.util.UUID userIdOf(String principalName) {
        try {
            return java.util.UUID.fromString(principalName);
        }
        catch (IllegalArgumentException notAUser) {
            return null;
        }
    }

    private OAuth2Authorization toAuthorization(AuthorizationRecords.Found found, String presentedHash,
            String presentedValue) {
        AuthorizationRecords.AuthorizationRow row = found.authorization();
        RegisteredClient client = clients.findById(row.registeredClientId());
        if (client == null) {
            return null;
        }
        Map<String, Object> attributes = codec.readAttributes(row.attributes());
        attributes.put(AuthorizationCodec.VERSION_ATTRIBUTE, row.version());
        attributes.put(RefreshFamily.STARTED_AT_ATTRIBUTE, row.createdAt());
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .id(row.id())
                .principalName(row.principalName())
                .authorizationGrantType(new AuthorizationGrantType(row.grantType()))
                .authorizedScopes(scopes(row.authorizedScopes()))
                .attributes(all -> all.putAll(attributes));
        for (AuthorizationRecords.TokenRow token : found.tokens()) {
            String value = token.hash().equals(presentedHash) ? presentedValue : PLACEHOLDER_PREFIX + token.hash();
            addToken(builder, token, value);
        }
        return builder.build();
    }

    private void addToken(OAuth2Authorization.Builder builder, AuthorizationRecords.TokenRow row, String value) {
        Map<String, Object> stored = codec.read(row.metadata());
        Map<String, Object> claims = stored.get("claims") instanceof String claimsJson ? codec.readClaims(claimsJson) : null;
        OAuth2Token token = switch (row.type()) {
            case CODE -> new OAuth2AuthorizationCode(value, row.issuedAt(), row.expiresAt());
            case ACCESS_TOKEN -> new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, row.issuedAt(),
                    row.expiresAt(), scopes((String) stored.get("scopes")));
            case REFRESH_TOKEN -> new OAuth2RefreshToken(value, row.issuedAt(), row.expiresAt());
            case ID_TOKEN -> new OidcIdToken(value, row.issuedAt(), row.expiresAt(), claims);
            case STATE -> null;
            default -> throw new IllegalStateException("Unknown stored token type " + row.type());
        };
        if (token == null) {
            builder.attribute(OAuth2ParameterNames.STATE, value);
            return;
        }
        builder.token(token, metadata -> {
            metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, row.invalidated());
            if (claims != null) {
                metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims);
            }
        });
    }

    private List<HashedToken> tokenRows(OAuth2Authorization authorization) {
        List<HashedToken> rows = new ArrayList<>();
        addRow(rows, CODE, authorization.getToken(OAuth2AuthorizationCode.class), Map.of());
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        addRow(rows, ACCESS_TOKEN, accessToken, accessToken == null ? Map.of()
                : Map.of("scopes", String.join(" ", accessToken.getToken().getScopes())));
        addRow(rows, REFRESH_TOKEN, authorization.getRefreshToken(), Map.of());
        addRow(rows, ID_TOKEN, authorization.getToken(OidcIdToken.class), Map.of());
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        if (StringUtils.hasText(state)) {
            rows.add(hashed(state, STATE, null, null, false, null));
        }
        return rows;
    }

    private void addRow(List<HashedToken> rows, String type,
            OAuth2Authorization.Token<? extends OAuth2Token> token, Map<String, Object> extra) {
        if (token == null) {
            return;
        }
        Map<String, Object> metadata = new LinkedHashMap<>(extra);
        OAuth2Token value = token.getToken();
        Map<String, Object> claims = token.getClaims() == null && value instanceof OidcIdToken idToken
                ? idToken.getClaims() : token.getClaims();
        if (claims != null && !claims.isEmpty()) {
            metadata.put("claims", codec.writeClaims(claims));
        }
        rows.add(hashed(value.getTokenValue(), type, value.getIssuedAt(), value.getExpiresAt(), token.isInvalidated(),
                metadata.isEmpty() ? null : codec.write(metadata)));
    }

    /**
     * A token as it would be stored now: a placeholder stands for its stored hash; a value is hashed under the
     * current master key, with its hashes under the previous keys kept aside for {@link #storedAs}.
     */
    private HashedToken hashed(String value, String type, Instant issuedAt, Instant expiresAt, boolean invalidated,
            String metadata) {
        if (value.startsWith(PLACEHOLDER_PREFIX)) {
            return new HashedToken(new AuthorizationRecords.TokenRow(value.substring(PLACEHOLDER_PREFIX.length()), type,
                    issuedAt, expiresAt, invalidated, metadata, null), List.of());
        }
        List<TokenHasher.KeyedHash> candidates = hasher.candidates(value);
        TokenHasher.KeyedHash current = candidates.get(0);
        return new HashedToken(new AuthorizationRecords.TokenRow(current.hash(), type, issuedAt, expiresAt, invalidated,
                metadata, current.keyId()), candidates.subList(1, candidates.size()));
    }

    /** A token row hashed under the current master key, and the token's hashes under the previous ones. */
    private record HashedToken(AuthorizationRecords.TokenRow row, List<TokenHasher.KeyedHash> previousKeyHashes) {
    }

    /**
     * When nothing in the authorization can be used any more: the latest expiry of its valid tokens (which
     * may be past), a while from now when it waits for consent, now when every token is revoked.
     */
    private Instant expiryOf(List<AuthorizationRecords.TokenRow> tokens) {
        Instant now = clock.instant();
        Instant latest = null;
        for (AuthorizationRecords.TokenRow token : tokens) {
            if (token.invalidated()) {
                continue;
            }
            Instant candidate = STATE.equals(token.type()) || token.expiresAt() == null
                    ? now.plus(PENDING_LIFETIME) : token.expiresAt();
            if (latest == null || candidate.isAfter(latest)) {
                latest = candidate;
            }
        }
        return latest == null ? now : latest;
    }

    private static Set<String> scopes(String joined) {
        if (!StringUtils.hasText(joined)) {
            return new LinkedHashSet<>();
        }
        return Arrays.stream(joined.split(" ")).filter(StringUtils::hasText)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

}
