package io.latchkey.oauth.authorize;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

import io.latchkey.keys.SigningKeys;

/**
 * {@code id_token_hint} (OpenID Connect Core 3.1.2.1): an ID token Latchkey issued to the requesting client,
 * signed with one of Latchkey's published keys. It may have expired, which is why only the signature and the
 * issuer are checked, then that it was issued to this client ({@code aud}) and is an ID token, not one of
 * Latchkey's access or logout tokens signed with the same keys. Anything else is {@code invalid_request}.
 * Whether it names the signed-in user is {@link IdTokenHintNamesTheUser}'s business.
 */
final class IdTokenHint {

    static final String PARAMETER = "id_token_hint";
    /** Latchkey's ID tokens are well under 2 KB; a larger hint is not one of them. */
    private static final int MAX_LENGTH = 8192;
    /** Claims of Latchkey's access tokens (RFC 9068) and logout tokens that its ID tokens never have. */
    private static final List<String> NOT_IN_ID_TOKENS = List.of("scope", "client_id", "events");

    private final JwtDecoder decoder;

    IdTokenHint(JWKSource<SecurityContext> keys, String issuer) {
        NimbusJwtDecoder ownTokens = NimbusJwtDecoder.withJwkSource(keys)
                .jwsAlgorithms(algorithms -> algorithms.addAll(SigningKeys.supportedAlgorithms()))
                .build();
        ownTokens.setJwtValidator(new JwtIssuerValidator(issuer));
        this.decoder = ownTokens;
    }

    /** The check at the authorization endpoint: a hint, if given, must be a valid one. */
    Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> mustBeValid() {
        return this::subject;
    }

    /** The {@code sub} of the request's hint; null without one. */
    String subject(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        Object hint = parameters(context).get(PARAMETER);
        if (hint == null) {
            return null;
        }
        if (!(hint instanceof String value) || value.isBlank() || value.length() > MAX_LENGTH) {
            throw invalid(context);
        }
        Jwt token;
        try {
            token = decoder.decode(value.trim());
        }
        catch (JwtException | IllegalArgumentException notOurs) {
            throw invalid(context);
        }
        String clientId = context.getRegisteredClient().getClientId();
        List<String> audience = token.getAudience();
        if (token.getSubject() == null || audience == null || !audience.contains(clientId)
                || NOT_IN_ID_TOKENS.stream().anyMatch(token::hasClaim)) {
            throw invalid(context);
        }
        return token.getSubject();
    }

    private static RuntimeException invalid(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        return AuthorizationRequestErrors.error(OAuth2ErrorCodes.INVALID_REQUEST,
                "OpenID Connect 1.0 Parameter: id_token_hint", context);
    }

    private static Map<String, Object> parameters(
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        return request.getAdditionalParameters();
    }
}
