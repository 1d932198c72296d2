package io.latchkey.tokens;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

import io.latchkey.client.ClientPolicies;

/**
 * Client-credentials access tokens that were never stored (clients with stateless tokens). They are
 * recognised by their signature, issuer and expiry, unless they were revoked: their {@code jti} is on the
 * deny list ({@link RevokedAccessTokens}), or their client was disabled after they were issued. Introspection,
 * userinfo and the API all look tokens up here, so a revoked one is refused everywhere.
 */
@Component
class StatelessAccessTokens {

    private static final int MAX_JWT_LENGTH = 8192;

    private final JwtDecoder jwtDecoder;
    private final RegisteredClientRepository clients;
    private final RevokedAccessTokens revokedTokens;

    StatelessAccessTokens(JwtDecoder jwtDecoder, RegisteredClientRepository clients, RevokedAccessTokens revokedTokens) {
        this.jwtDecoder = jwtDecoder;
        this.clients = clients;
        this.revokedTokens = revokedTokens;
    }

    Optional<OAuth2Authorization> find(String token) {
        if (token.length() > MAX_JWT_LENGTH || token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        Jwt jwt;
        try {
            jwt = jwtDecoder.decode(token);
        }
        catch (JwtException notOurs) {
            return Optional.empty();
        }
        String clientId = jwt.getClaimAsString("client_id");
        if (clientId == null || !clientId.equals(jwt.getSubject()) || !isRevocable(jwt)
                || revokedTokens.isRevoked(jwt.getId())) {
            return Optional.empty();
        }
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null || !ClientPolicies.hasStatelessClientCredentials(client)
                || ClientPolicies.revokesTokensIssuedAt(client, jwt.getIssuedAt())) {
            return Optional.empty();
        }
        Set<String> scopes = scopesOf(jwt);
        OAuth2AccessToken accessToken = new OAuth2AccessToken(typeOf(jwt.getClaims()), token,
                jwt.getIssuedAt(), jwt.getExpiresAt(), scopes);
        return Optional.of(OAuth2Authorization.withRegisteredClient(client)
                .id("stateless-" + jwt.getId())
                .principalName(clientId)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .authorizedScopes(scopes)
                .token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, jwt.getClaims()))
                .build());
    }

    /** DPoP for a token bound to a key ({@code cnf.jkt}, RFC 9449 section 6), Bearer otherwise. */
    static OAuth2AccessToken.TokenType typeOf(Map<String, Object> claims) {
        return claims != null && claims.get("cnf") instanceof Map<?, ?> confirmation && confirmation.get("jkt") != null
                ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER;
    }

    /** Only a token with an id and an expiry can be put on the deny list; Latchkey issues none without. */
    private static boolean isRevocable(Jwt jwt) {
        String jti = jwt.getId();
        return jti != null && !jti.isEmpty() && jti.length() <= RevokedAccessTokens.MAX_JTI_LENGTH
                && jwt.getIssuedAt() != null && jwt.getExpiresAt() != null;
    }

    /** RFC 9068: one space-separated string; tokens issued before that carried an array. */
    private static Set<String> scopesOf(Jwt jwt) {
        Object claim = jwt.getClaims().get("scope");
        if (claim instanceof String joined) {
            return joined.isBlank() ? new LinkedHashSet<>() : new LinkedHashSet<>(List.of(joined.trim().split(" +")));
        }
        List<String> listed = jwt.getClaimAsStringList("scope");
        return listed == null ? new LinkedHashSet<>() : new LinkedHashSet<>(listed);
    }
}
