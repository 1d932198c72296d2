package io.latchkey.oauth.device;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import io.latchkey.keys.TokenHasher;

/**
 * The token endpoint's device code grant, around the framework's provider, with what it leaves out:
 * <ul>
 * <li>{@code slow_down} (RFC 8628 section 3.5): a device that polls again before its interval is up is told to slow
 * down, and its interval grows by 5 seconds for this and every later poll. The last poll and the interval are kept in
 * the database ({@link DevicePolls}), so that every instance agrees.</li>
 * <li>A device code that already got its tokens is answered {@code invalid_grant}, not {@code access_denied}: the
 * framework marks a redeemed code exactly as a denied one.</li>
 * <li>An ID token when the user approved {@code openid} ({@link #withIdToken}).</li>
 * </ul>
 */
final class PollingPace implements AuthenticationProvider {

    static final String SLOW_DOWN = "slow_down";
    static final int SLOW_DOWN_SECONDS = 5;
    private static final String AUTHORIZATION_PENDING = "authorization_pending";
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8628#section-3.5";
    private static final OAuth2TokenType DEVICE_CODE = new OAuth2TokenType(OAuth2ParameterNames.DEVICE_CODE);

    private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

    private final AuthenticationProvider delegate;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;
    private final OAuth2AuthorizationService authorizations;
    private final DevicePolls polls;
    private final TokenHasher hasher;
    private final DeviceSettings settings;
    private final Clock clock;

    PollingPace(AuthenticationProvider delegate, OAuth2TokenGenerator<? extends OAuth2Token> tokens,
            OAuth2AuthorizationService authorizations, DevicePolls polls, TokenHasher hasher, DeviceSettings settings,
            Clock clock) {
        this.delegate = delegate;
        this.tokens = tokens;
        this.authorizations = authorizations;
        this.polls = polls;
        this.hasher = hasher;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String deviceCode = ((OAuth2DeviceCodeAuthenticationToken) authentication).getDeviceCode();
        Authentication issued;
        try {
            issued = delegate.authenticate(authentication);
        }
        catch (OAuth2AuthenticationException refused) {
            String error = refused.getError().getErrorCode();
            if (AUTHORIZATION_PENDING.equals(error) && !keepsItsPace(deviceCode)) {
                throw new OAuth2AuthenticationException(new OAuth2Error(SLOW_DOWN,
                        "Polled before the interval was up; wait " + SLOW_DOWN_SECONDS + " seconds longer from now on",
                        ERROR_URI));
            }
            if (OAuth2ErrorCodes.ACCESS_DENIED.equals(error) && redeemed(deviceCode)) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "The device code was used already", null));
            }
            throw refused;
        }
        return withIdToken((OAuth2AccessTokenAuthenticationToken) issued, authentication);
    }

    /**
     * The framework's device code grant issues no ID token; when the user approved {@code openid}, this one does,
     * as the code flow would (same generator, so the same claims), and keeps it with the authorization.
     */
    private Authentication withIdToken(OAuth2AccessTokenAuthenticationToken issued, Authentication grant) {
        OAuth2Authorization authorization = authorizations.findByToken(issued.getAccessToken().getTokenValue(),
                OAuth2TokenType.ACCESS_TOKEN);
        if (authorization == null || !authorization.getAuthorizedScopes().contains(OidcScopes.OPENID)) {
            return issued;
        }
        OAuth2TokenContext context = DefaultOAuth2TokenContext.builder()
                .registeredClient(issued.getRegisteredClient())
                .principal(authorization.getAttribute(Principal.class.getName()))
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorization(authorization)
                .authorizedScopes(authorization.getAuthorizedScopes())
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                .authorizationGrant(grant)
                .tokenType(ID_TOKEN)
                .build();
        if (!(tokens.generate(context) instanceof Jwt jwt)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                    "The ID token could not be made", null));
        }
        OidcIdToken idToken = new OidcIdToken(jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(),
                jwt.getClaims());
        authorizations.save(OAuth2Authorization.from(authorization)
                .token(idToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        idToken.getClaims()))
                .build());
        return new OAuth2AccessTokenAuthenticationToken(issued.getRegisteredClient(),
                (Authentication) issued.getPrincipal(), issued.getAccessToken(), issued.getRefreshToken(),
                Map.of(OidcParameterNames.ID_TOKEN, idToken.getTokenValue()));
    }

    /** Records this poll; false when it came before the code's interval was up (its interval then grows). */
    private boolean keepsItsPace(String deviceCode) {
        String hash = hasher.hash(deviceCode);
        // the database keeps microseconds at best: compare what it can give back
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int interval = Math.toIntExact(settings.interval().toSeconds());
        DevicePolls.Poll last = polls.find(hash).orElse(null);
        if (last == null) {
            polls.deleteExpiredBefore(now.minus(settings.codeLifetime()));
            return polls.first(hash, now, interval, now.plus(settings.codeLifetime()));
        }
        if (now.isBefore(last.lastPollAt().plusSeconds(last.intervalSeconds()))) {
            polls.next(hash, last.lastPollAt(), now, last.intervalSeconds() + SLOW_DOWN_SECONDS);
            return false;
        }
        return polls.next(hash, last.lastPollAt(), now, last.intervalSeconds());
    }

    /** Denied and redeemed codes look alike to the framework: a redeemed one has tokens beside it. */
    private boolean redeemed(String deviceCode) {
        OAuth2Authorization authorization = authorizations.findByToken(deviceCode, DEVICE_CODE);
        return authorization != null && authorization.getAccessToken() != null;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}
