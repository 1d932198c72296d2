package io.latchkey.oauth;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Announces every ID token that carries a {@code sid} ({@link IdTokenIssued}), after the other claims are
 * added, so that whoever must act when that session ends (back-channel logout) knows which clients got
 * tokens in it. The framework puts {@code sid} into ID tokens of the code flow, and copies it on refresh.
 */
final class SessionIdTokens implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final OAuth2TokenCustomizer<JwtEncodingContext> claims;
    private final ApplicationEventPublisher events;

    SessionIdTokens(OAuth2TokenCustomizer<JwtEncodingContext> claims, ApplicationEventPublisher events) {
        this.claims = claims;
        this.events = events;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        claims.customize(context);
        if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue()) || context.getPrincipal() == null) {
            return;
        }
        if (context.getClaims().build().getClaims().get("sid") instanceof String sid && !sid.isBlank()) {
            events.publishEvent(new IdTokenIssued(sid, context.getRegisteredClient().getClientId(),
                    context.getPrincipal().getName()));
        }
    }
}
