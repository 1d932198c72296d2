package io.latchkey.oauth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import io.latchkey.tokens.TokenActivity;

/**
 * Counts the tokens of every grant (token endpoint, password grant, the API's sign-in and refresh) as
 * {@code latchkey_tokens_issued_total}, labelled {@code grant_type}, {@code client_id} and {@code token_type}
 * ({@code access_token}, {@code refresh_token}, {@code id_token}). It sits in the token generator, which every
 * grant goes through; a client id is known to be registered by then, so the labels stay few. No token value is
 * ever a label. Access tokens are also counted for the admin dashboard ({@link TokenActivity}), in memory and
 * written about once a minute: no write per token.
 */
final class IssuedTokenCounts implements OAuth2TokenGenerator<OAuth2Token> {

    static final String METRIC = "latchkey.tokens.issued";

    private final OAuth2TokenGenerator<OAuth2Token> generator;
    private final MeterRegistry registry;
    private final TokenActivity activity;

    IssuedTokenCounts(OAuth2TokenGenerator<OAuth2Token> generator, MeterRegistry registry, TokenActivity activity) {
        this.generator = generator;
        this.registry = registry;
        this.activity = activity;
    }

    @Override
    public OAuth2Token generate(OAuth2TokenContext context) {
        OAuth2Token token = generator.generate(context);
        if (token != null) {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType()) && context.getRegisteredClient() != null) {
                activity.issued(context.getRegisteredClient().getClientId(),
                        context.getAuthorizationGrantType() == null ? null
                                : context.getAuthorizationGrantType().getValue());
            }
            Counter.builder(METRIC)
                    .description("Tokens issued, by grant type, client and token type")
                    .tag("grant_type", context.getAuthorizationGrantType() == null ? "unknown"
                            : context.getAuthorizationGrantType().getValue())
                    .tag("client_id", context.getRegisteredClient() == null ? "unknown"
                            : context.getRegisteredClient().getClientId())
                    .tag("token_type", context.getTokenType() == null ? "unknown" : context.getTokenType().getValue())
                    .register(registry)
                    .increment();
        }
        return token;
    }
}
