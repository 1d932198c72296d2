package io.latchkey.oauth.par;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationToken;
import org.springframework.util.StringUtils;

/**
 * The framework's pushed authorization request provider (which checks the request as the authorization endpoint
 * does, as far as it can without a user: grant type, redirect URI and scope with the checks given to it, PKCE,
 * {@code prompt}), with a {@code request_uri} that lives as long as {@link ParSettings#requestUriLifetime} says; the
 * framework's lives five minutes, fixed. A public client must send a PKCE {@code code_challenge}: it has nothing else
 * to prove that it is the one that redeems the code.
 *
 * <p>The {@code request_uri} keeps the framework's form, {@code urn:ietf:params:oauth:request_uri:<state>}, where the
 * state is random and ends with {@code ___<expiry in epoch milliseconds>}: the authorization endpoint (the
 * framework's) reads the expiry from it, finds the request by the whole state (which the authorization store keeps
 * hashed, {@code StoredTokenType.STATE}), refuses it after the expiry or for another client, and removes it once it
 * has led to a code or a consent page (single use). The framework's own state is replaced before anyone saw it.
 */
final class ShortLivedRequestUris implements AuthenticationProvider {

    static final String PREFIX = "urn:ietf:params:oauth:request_uri:";
    private static final String DELIMITER = "___";
    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OAuth2PushedAuthorizationRequestAuthenticationProvider framework;
    private final OAuth2AuthorizationService authorizations;
    private final Duration lifetime;
    private final Clock clock;

    ShortLivedRequestUris(OAuth2PushedAuthorizationRequestAuthenticationProvider framework,
            OAuth2AuthorizationService authorizations, Duration lifetime, Clock clock) {
        this.framework = framework;
        this.authorizations = authorizations;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return framework.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        var pushed = (OAuth2PushedAuthorizationRequestAuthenticationToken) authentication;
        if (pushed.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
                && !(pushed.getAdditionalParameters().get(PkceParameterNames.CODE_CHALLENGE) instanceof String challenge
                        && StringUtils.hasText(challenge))) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.INVALID_REQUEST, "A public client must send a PKCE code_challenge", null), null);
        }
        // RFC 9126 section 2.1: the client_id of the request is the client that authenticated
        if (pushed.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null
                && !client.getRegisteredClient().getClientId().equals(pushed.getClientId())) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                    OAuth2ErrorCodes.INVALID_REQUEST, "The client_id is not that of the authenticated client", null),
                    null);
        }
        var result = (OAuth2PushedAuthorizationRequestAuthenticationToken) framework.authenticate(pushed);
        OAuth2Authorization saved = authorizations.findByToken(result.getRequestUri().substring(PREFIX.length()), STATE);
        if (saved == null) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR, "The pushed request could not be kept", null), null);
        }
        Instant expiresAt = clock.instant().plus(lifetime);
        String state = randomHex() + DELIMITER + expiresAt.toEpochMilli();
        authorizations.save(OAuth2Authorization.from(saved).attribute(OAuth2ParameterNames.STATE, state).build());
        return new OAuth2PushedAuthorizationRequestAuthenticationToken(result.getAuthorizationUri(),
                result.getClientId(), (Authentication) result.getPrincipal(), PREFIX + state, expiresAt,
                result.getRedirectUri(), result.getState(), result.getScopes());
    }

    /** Hex, so the random part never holds the delimiter the authorization endpoint splits at. */
    private static String randomHex() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
