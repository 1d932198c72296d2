package io.latchkey.oauth.exchange;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.stereotype.Component;

import io.latchkey.account.UserDirectory;
import io.latchkey.audit.AuditLog;
import io.latchkey.oauth.resource.ResourceIndicators;

/**
 * Token exchange (RFC 8693) as the rest of {@code io.latchkey.oauth} sees it: a service that was given a user's
 * access token trades it for a short-lived token for another service it is allowed to call, on the user's behalf
 * (delegation: the new token names the service in {@code act}). The rules are {@link DelegatedExchange}; the
 * framework reads the request ({@code OAuth2TokenExchangeAuthenticationConverter}).
 */
@Component
public class TokenExchange {

    /** RFC 8693 section 3: the only token type Latchkey takes and issues in an exchange. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final OAuth2AuthorizationService authorizations;
    private final ResourceIndicators resources;
    private final UserDirectory users;
    private final AuditLog audit;
    private final TokenExchangeSettings settings;

    TokenExchange(OAuth2AuthorizationService authorizations, ResourceIndicators resources, UserDirectory users,
            AuditLog audit, TokenExchangeSettings settings) {
        this.authorizations = authorizations;
        this.resources = resources;
        this.users = users;
        this.audit = audit;
        this.settings = settings;
    }

    /** Answers {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} in the framework's place. */
    public AuthenticationProvider provider(OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        return new DelegatedExchange(authorizations, tokens, resources, users, audit);
    }

    /**
     * For an access token issued by an exchange: the acting client as {@code act} (RFC 8693 section 4.1) and a
     * lifetime of at most {@code latchkey.token-exchange.access-token-lifetime}.
     */
    public void addDelegation(JwtEncodingContext context) {
        if (!(context.getAuthorizationGrant() instanceof OAuth2TokenExchangeAuthenticationToken exchange)
                || !(exchange.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)) {
            return;
        }
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("sub", client.getRegisteredClient().getClientId());
        context.getClaims().claim("act", actor);
        Instant issuedAt = context.getClaims().build().getIssuedAt();
        Instant expiresAt = context.getClaims().build().getExpiresAt();
        if (issuedAt != null && (expiresAt == null
                || expiresAt.isAfter(issuedAt.plus(settings.accessTokenLifetime())))) {
            context.getClaims().expiresAt(issuedAt.plus(settings.accessTokenLifetime()));
        }
    }
}
