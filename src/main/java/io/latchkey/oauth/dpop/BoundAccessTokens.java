package io.latchkey.oauth.dpop;

import java.util.Map;

import com.nimbusds.jose.jwk.JWK;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Binds an access token to the key of the request's DPoP proof: {@code cnf.jkt} is the key's RFC 7638 thumbprint
 * (RFC 9449 section 6.1), and the framework then answers {@code token_type: DPoP}. The framework's own customizer
 * that does this is not used, since Latchkey builds its token generator itself.
 *
 * <p>A public client's refresh token is bound to the key its tokens were first bound to (RFC 9449 section 5): a
 * refresh without a proof gets {@code invalid_grant} here (one with another key's proof is refused before, see
 * {@link RefreshKeyBinding}). A confidential client's refresh token is bound to the client's credentials instead;
 * its new access token is bound to whatever key the refresh request proves, if any.
 */
final class BoundAccessTokens implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String CONFIRMATION = "cnf";
    static final String THUMBPRINT = "jkt";

    private final OAuth2TokenCustomizer<JwtEncodingContext> claims;

    BoundAccessTokens(OAuth2TokenCustomizer<JwtEncodingContext> claims) {
        this.claims = claims;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        claims.customize(context);
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        Jwt proof = context.get(OAuth2TokenContext.DPOP_PROOF_KEY);
        String thumbprint = proof == null ? null : thumbprintOf(proof);
        if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType()) && isPublic(context)) {
            String bound = boundKey(context.getAuthorization());
            if (bound != null && !bound.equals(thumbprint)) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "The refresh token is DPoP-bound: refresh with a proof of the same key", null));
            }
        }
        if (thumbprint != null) {
            context.getClaims().claim(CONFIRMATION, Map.of(THUMBPRINT, thumbprint));
        }
    }

    /** The thumbprint an access token of this authorization was bound to, or null. */
    static String boundKey(OAuth2Authorization authorization) {
        if (authorization == null) {
            return null;
        }
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        return accessToken == null || accessToken.getClaims() == null ? null : thumbprintClaim(accessToken.getClaims());
    }

    static String thumbprintClaim(Map<String, Object> claims) {
        return claims.get(CONFIRMATION) instanceof Map<?, ?> confirmation
                && confirmation.get(THUMBPRINT) instanceof String thumbprint ? thumbprint : null;
    }

    private static boolean isPublic(JwtEncodingContext context) {
        return context.getAuthorizationGrant() != null
                && context.getAuthorizationGrant().getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod());
    }

    private static String thumbprintOf(Jwt proof) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) proof.getHeaders().get("jwk");
            return ProofChecks.thumbprint(JWK.parse(jwk));
        }
        catch (java.text.ParseException | RuntimeException ex) {
            throw new OAuth2AuthenticationException(new OAuth2Error(ProofRefused.INVALID_DPOP_PROOF,
                    "The DPoP proof's jwk is not a key", null));
        }
    }
}
