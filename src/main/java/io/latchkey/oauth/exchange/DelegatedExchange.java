package io.latchkey.oauth.exchange;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import io.latchkey.account.UserAccount;
import io.latchkey.account.UserDirectory;
import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.client.ClientPolicies;
import io.latchkey.client.SupportedGrantTypes;
import io.latchkey.oauth.resource.ResourceIndicators;

/**
 * The rules of a token exchange (RFC 8693), delegation only:
 * <ul>
 * <li>the client is confidential and declares the token-exchange grant, else {@code unauthorized_client};</li>
 * <li>the subject token is an active Latchkey access token of a user (not of a client), given to this client: its
 * {@code aud} holds the client's id or resource indicator; else {@code invalid_grant} (section 2.2.2);</li>
 * <li>an {@code actor_token}, if sent, is an active access token of this client itself, else {@code invalid_grant};</li>
 * <li>exactly one target ({@code resource} or {@code audience}), one of the client's
 * {@code token-exchange-targets}, else {@code invalid_target};</li>
 * <li>the scopes asked for are among the subject token's (all of them when none are asked for), else
 * {@code invalid_scope};</li>
 * <li>only access tokens are taken and issued ({@value TokenExchange#ACCESS_TOKEN_TYPE}), else
 * {@code invalid_request}.</li>
 * </ul>
 * The answer is a short-lived access token for the target with the user's {@code sub} and {@code act} naming the
 * client ({@link TokenExchange#addDelegation}), {@code issued_token_type}, and no refresh token. Each exchange,
 * granted or refused, is an audit event.
 */
final class DelegatedExchange implements AuthenticationProvider {

    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final String RFC_8693 = "https://www.rfc-editor.org/rfc/rfc8693#section-2.2.2";

    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;
    private final ResourceIndicators resources;
    private final UserDirectory users;
    private final AuditLog audit;

    DelegatedExchange(OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<? extends OAuth2Token> tokens,
            ResourceIndicators resources, UserDirectory users, AuditLog audit) {
        this.authorizations = authorizations;
        this.tokens = tokens;
        this.resources = resources;
        this.users = users;
        this.audit = audit;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2TokenExchangeAuthenticationToken request = (OAuth2TokenExchangeAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken clientPrincipal)
                || !clientPrincipal.isAuthenticated() || clientPrincipal.getRegisteredClient() == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient client = clientPrincipal.getRegisteredClient();
        try {
            return exchange(request, clientPrincipal, client);
        }
        catch (OAuth2AuthenticationException refused) {
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.TOKEN_EXCHANGED)
                    .subject("client:" + client.getClientId())
                    .outcome(AuditEvent.REFUSED)
                    .detail("reason", refused.getError().getErrorCode()));
            throw refused;
        }
    }

    private Authentication exchange(OAuth2TokenExchangeAuthenticationToken request,
            OAuth2ClientAuthenticationToken clientPrincipal, RegisteredClient client) {
        if (!client.getAuthorizationGrantTypes().contains(SupportedGrantTypes.TOKEN_EXCHANGE)
                || ClientAuthenticationMethod.NONE.equals(clientPrincipal.getClientAuthenticationMethod())) {
            throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "the client may not exchange tokens");
        }
        if (!TokenExchange.ACCESS_TOKEN_TYPE.equals(request.getRequestedTokenType())) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "requested_token_type must be " + TokenExchange.ACCESS_TOKEN_TYPE);
        }
        if (!TokenExchange.ACCESS_TOKEN_TYPE.equals(request.getSubjectTokenType())) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "subject_token_type must be " + TokenExchange.ACCESS_TOKEN_TYPE);
        }
        String target = target(request, client);
        OAuth2Authorization subject = subjectAuthorization(request.getSubjectToken(), client);
        if (request.getActorToken() != null) {
            checkActor(request, client);
        }
        Set<String> scopes = scopes(request, subject);
        Authentication user = subject.getAttribute(Principal.class.getName());
        if (user == null) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "subject_token is not a user's token");
        }
        // the token's audience is the target alone (io.latchkey.oauth.resource.AccessTokenAudience)
        OAuth2TokenExchangeAuthenticationToken grant = new OAuth2TokenExchangeAuthenticationToken(
                TokenExchange.ACCESS_TOKEN_TYPE, request.getSubjectToken(), request.getSubjectTokenType(),
                clientPrincipal, null, null, Set.of(target), Set.of(), scopes, Map.of());
        OAuth2Token generated = tokens.generate(DefaultOAuth2TokenContext.builder()
                .registeredClient(client)
                .principal(user)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorizedScopes(scopes)
                .tokenType(OAuth2TokenType.ACCESS_TOKEN)
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .authorizationGrant(grant)
                .build());
        if (generated == null) {
            throw error(OAuth2ErrorCodes.SERVER_ERROR, "the token could not be issued");
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                generated.getTokenValue(), generated.getIssuedAt(), generated.getExpiresAt(), scopes);
        authorizations.save(OAuth2Authorization.withRegisteredClient(client)
                .principalName(subject.getPrincipalName())
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .authorizedScopes(scopes)
                .attribute(Principal.class.getName(), user)
                .token(accessToken, metadata -> {
                    if (generated instanceof ClaimAccessor claims) {
                        metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims.getClaims());
                    }
                })
                .build());
        UUID userId = users.findBySubject(subject.getPrincipalName()).map(UserAccount::id).orElse(null);
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.TOKEN_EXCHANGED)
                .user(userId)
                .subject("client:" + client.getClientId())
                .outcome(AuditEvent.SUCCEEDED)
                .detail("target", target)
                .detail("scope", String.join(" ", scopes)));
        return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, accessToken, null,
                Map.of("issued_token_type", TokenExchange.ACCESS_TOKEN_TYPE));
    }

    /** The one resource or audience asked for, which must be among the client's token-exchange targets. */
    private static String target(OAuth2TokenExchangeAuthenticationToken request, RegisteredClient client) {
        Set<String> named = new LinkedHashSet<>(request.getResources());
        named.addAll(request.getAudiences());
        if (named.size() != 1) {
            throw ResourceIndicators.invalidTarget("name exactly one resource or audience");
        }
        String target = named.iterator().next();
        if (request.getResources().contains(target) && !ResourceIndicators.isWellFormed(target)) {
            throw ResourceIndicators.invalidTarget("resource must be an absolute URI without a fragment");
        }
        if (!ClientPolicies.tokenExchangeTargets(client).contains(target)) {
            throw ResourceIndicators.invalidTarget("the client may not exchange tokens for this target");
        }
        return target;
    }

    /** The authorization of the subject token: an active access token of a user, given to this client. */
    private OAuth2Authorization subjectAuthorization(String subjectToken, RegisteredClient client) {
        OAuth2Authorization subject = activeAccessToken(subjectToken);
        if (subject == null || AuthorizationGrantType.CLIENT_CREDENTIALS.equals(subject.getAuthorizationGrantType())) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "subject_token is not an active access token of a user");
        }
        Object audience = subject.getAccessToken().getClaims() == null ? null
                : subject.getAccessToken().getClaims().get("aud");
        List<String> audiences = audience instanceof java.util.Collection<?> many
                ? many.stream().map(String::valueOf).toList()
                : audience == null ? List.of() : List.of(String.valueOf(audience));
        String indicator = ClientPolicies.resourceIndicator(client);
        if (!audiences.contains(client.getClientId()) && (indicator == null || !audiences.contains(indicator))) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "subject_token was not issued for this client");
        }
        return subject;
    }

    /** An {@code actor_token} must be an active access token of the exchanging client itself. */
    private void checkActor(OAuth2TokenExchangeAuthenticationToken request, RegisteredClient client) {
        if (!TokenExchange.ACCESS_TOKEN_TYPE.equals(request.getActorTokenType())) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "actor_token_type must be " + TokenExchange.ACCESS_TOKEN_TYPE);
        }
        OAuth2Authorization actor = activeAccessToken(request.getActorToken());
        if (actor == null || !client.getId().equals(actor.getRegisteredClientId())
                || !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(actor.getAuthorizationGrantType())) {
            throw error(OAuth2ErrorCodes.INVALID_GRANT, "actor_token is not an active token of this client");
        }
    }

    private OAuth2Authorization activeAccessToken(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH
                || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return null;
        }
        OAuth2Authorization authorization = authorizations.findByToken(token, OAuth2TokenType.ACCESS_TOKEN);
        if (authorization == null || authorization.getAccessToken() == null
                || !token.equals(authorization.getAccessToken().getToken().getTokenValue())
                || !authorization.getAccessToken().isActive()) {
            return null;
        }
        return authorization;
    }

    /** The scopes asked for, all of them the subject token's; the subject token's when none are asked for. */
    private static Set<String> scopes(OAuth2TokenExchangeAuthenticationToken request, OAuth2Authorization subject) {
        Set<String> held = subject.getAccessToken().getToken().getScopes();
        if (request.getScopes().isEmpty()) {
            return new LinkedHashSet<>(held);
        }
        if (!held.containsAll(request.getScopes())) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "scope must be among the subject token's scopes");
        }
        return new LinkedHashSet<>(request.getScopes());
    }

    private static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, RFC_8693));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenExchangeAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
