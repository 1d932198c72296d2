package io.latchkey.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

import io.latchkey.client.ClientPolicies;
import io.latchkey.keys.TokenHasher;

/**
 * The authorization store: every authorization the authorization server issues tokens under, with its tokens,
 * without storing any token value (see {@link TokenHasher}). What it keeps of an authorization is listed once, in
 * {@link StoredTokenType}. A token read back from the store carries its value only if it is the one the lookup was
 * made with; the others carry a placeholder that stands for their hash and that no client can present.
 *
 * <p>Rules kept here: two requests that change the same authorization at once cannot both win (the loser gets
 * {@code invalid_grant}); client-credentials tokens of clients with stateless tokens are not written, and revoking
 * one puts it on the deny list ({@link RevokedAccessTokens}). A replaced refresh token is kept, retired, so that
 * presenting it again can be recognised ({@link #lookUp}); what follows from that is the refresh grant's rule
 * ({@code io.latchkey.oauth.refresh.RefreshTokenReuse}), not the store's: looking a token up changes nothing.
 */
@Service
public class AuthorizationStore implements OAuth2AuthorizationService {

    /** When the authorization was first stored: a read-only attribute of every authorization read from the store. */
    static final String FIRST_STORED_AT_ATTRIBUTE = AuthorizationStore.class.getName() + ".FIRST_STORED_AT";
    /** How long an authorization waiting for consent, or holding only an unexpired code, is kept. */
    static final Duration PENDING_LIFETIME = Duration.ofMinutes(30);
    private static final String PLACEHOLDER_PREFIX = "\u0000stored-hash:";
    private static final int REVOCATION_ATTEMPTS = 3;
    private static final String CLAIMS = "claims";

    private final AuthorizationRecords records;
    private final TokenHasher hasher;
    private final AuthorizationCodec codec = new AuthorizationCodec();
    private final RegisteredClientRepository clients;
    private final StatelessAccessTokens statelessTokens;
    private final RevokedAccessTokens revokedTokens;
    private final TransactionTemplate transactions;
    private final Clock clock;

    AuthorizationStore(AuthorizationRecords records, TokenHasher hasher, RegisteredClientRepository clients,
            StatelessAccessTokens statelessTokens, RevokedAccessTokens revokedTokens, TransactionTemplate transactions,
            Clock clock) {
        this.records = records;
        this.hasher = hasher;
        this.clients = clients;
        this.statelessTokens = statelessTokens;
        this.revokedTokens = revokedTokens;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** When {@code authorization} was first stored; null for one that has not been stored (yet). */
    public static Instant firstStoredAt(OAuth2Authorization authorization) {
        return authorization == null ? null : authorization.getAttribute(FIRST_STORED_AT_ATTRIBUTE);
    }

    /**
     * Refuses an authorization holding a token that {@link StoredTokenType} does not list, which would otherwise be
     * lost without a word.
     */
    @Override
    public void save(OAuth2Authorization authorization) {
        StoredTokenType.requireOnlyKnownTokens(authorization);
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
        return lookUp(token, tokenType).current();
    }

    /**
     * {@link #findByToken}, and when the token is a refresh token that was replaced by rotation (no longer current,
     * still kept), which authorization it belonged to. One probe of the store either way.
     */
    public TokenLookup lookUp(String token, OAuth2TokenType tokenType) {
        if (!StringUtils.hasText(token)) {
            return TokenLookup.NOTHING;
        }
        String type = tokenType == null ? null : tokenType.getValue();
        AuthorizationRecords.Found found = records.findByTokenHash(hasher.candidateHashes(token), type).orElse(null);
        if (found == null) {
            return type == null || StoredTokenType.ACCESS_TOKEN.column().equals(type)
                    ? new TokenLookup(statelessTokens.find(token).orElse(null), null) : TokenLookup.NOTHING;
        }
        if (!found.hitCurrent()) {
            if (!StoredTokenType.REFRESH_TOKEN.column().equals(found.hitType())) {
                return TokenLookup.NOTHING;
            }
            AuthorizationRecords.AuthorizationRow row = found.authorization();
            return new TokenLookup(null, new RetiredRefreshToken(row.id(), row.registeredClientId(), row.principalName()));
        }
        return new TokenLookup(toAuthorization(found, found.hitHash(), token), null);
    }

    /**
     * Invalidates every token of the authorization and ends it now; false when it had ended already (nothing was
     * left to revoke). One transaction, authorization row first (see {@link AuthorizationRecords#revokeAll}).
     * Revoking is idempotent, so a lock conflict with a concurrent revocation of the same login is simply tried
     * again.
     */
    public boolean revokeAll(String authorizationId) {
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

    /**
     * What the store knows of a presented token: the authorization it is current in, or, for a refresh token that
     * rotation replaced, the one it was retired from. Both null for a token it does not know (or no longer keeps).
     */
    public record TokenLookup(OAuth2Authorization current, RetiredRefreshToken retiredRefreshToken) {

        static final TokenLookup NOTHING = new TokenLookup(null, null);
    }

    /** A refresh token replaced by rotation, and the authorization (the login) it was issued under. */
    public record RetiredRefreshToken(String authorizationId, String registeredClientId, String principalName) {
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
        attributes.put(FIRST_STORED_AT_ATTRIBUTE, row.createdAt());
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
        Map<String, Object> claims = stored.get(CLAIMS) instanceof String claimsJson ? codec.readClaims(claimsJson) : null;
        StoredTokenType.ofColumn(row.type()).putBack(builder, value, row, stored, claims);
    }

    private List<HashedToken> tokenRows(OAuth2Authorization authorization) {
        List<HashedToken> rows = new ArrayList<>();
        for (StoredTokenType type : StoredTokenType.values()) {
            type.heldBy(authorization).ifPresent(held -> rows.add(hashed(type, held)));
        }
        return rows;
    }

    /**
     * A token as it would be stored now: a placeholder stands for its stored hash; a value is hashed under the
     * current master key, with its hashes under the previous keys kept aside for {@link #storedAs}.
     */
    private HashedToken hashed(StoredTokenType type, StoredTokenType.Held held) {
        Map<String, Object> metadata = new LinkedHashMap<>(held.extraMetadata());
        if (held.claims() != null && !held.claims().isEmpty()) {
            metadata.put(CLAIMS, codec.writeClaims(held.claims()));
        }
        String writtenMetadata = metadata.isEmpty() ? null : codec.write(metadata);
        if (held.value().startsWith(PLACEHOLDER_PREFIX)) {
            return new HashedToken(new AuthorizationRecords.TokenRow(held.value().substring(PLACEHOLDER_PREFIX.length()),
                    type.column(), held.issuedAt(), held.expiresAt(), held.invalidated(), writtenMetadata, null),
                    List.of());
        }
        List<TokenHasher.KeyedHash> candidates = hasher.candidates(held.value());
        TokenHasher.KeyedHash current = candidates.get(0);
        return new HashedToken(new AuthorizationRecords.TokenRow(current.hash(), type.column(), held.issuedAt(),
                held.expiresAt(), held.invalidated(), writtenMetadata, current.keyId()),
                candidates.subList(1, candidates.size()));
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
            Instant candidate = StoredTokenType.STATE.column().equals(token.type()) || token.expiresAt() == null
                    ? now.plus(PENDING_LIFETIME) : token.expiresAt();
            if (latest == null || candidate.isAfter(latest)) {
                latest = candidate;
            }
        }
        return latest == null ? now : latest;
    }

    /** Scopes as they are stored: space-separated, in their order. */
    static Set<String> scopes(String joined) {
        if (!StringUtils.hasText(joined)) {
            return new LinkedHashSet<>();
        }
        return Arrays.stream(joined.split(" ")).filter(StringUtils::hasText)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
