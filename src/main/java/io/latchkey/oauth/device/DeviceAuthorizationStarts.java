package io.latchkey.oauth.device;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.latchkey.http.ClientAddresses;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * Starting a device authorization (RFC 8628 section 3.1), around the framework's provider: each start makes a row
 * that lives for the code's lifetime, so one client IP may start at most {@code latchkey.device.starts-per-ip} per
 * {@code start-window} (429 beyond); and a request must name its scopes (RFC 6749 section 3.3 lets the server
 * refuse a request without them with {@code invalid_scope}): the user approves exactly what is named, and an
 * approval of nothing would be a denial to the framework.
 */
final class DeviceAuthorizationStarts implements AuthenticationProvider {

    static final String RATE_LIMIT_KIND = "devicestart";
    private static final OAuth2TokenType DEVICE_CODE = new OAuth2TokenType(OAuth2ParameterNames.DEVICE_CODE);

    private final AuthenticationProvider delegate;
    private final CredentialGuard guard;
    private final ClientAddresses addresses;
    private final DeviceSettings settings;
    private final OAuth2AuthorizationService authorizations;

    DeviceAuthorizationStarts(AuthenticationProvider delegate, CredentialGuard guard, ClientAddresses addresses,
            DeviceSettings settings, OAuth2AuthorizationService authorizations) {
        this.delegate = delegate;
        this.authorizations = authorizations;
        this.guard = guard;
        this.addresses = addresses;
        this.settings = settings;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceAuthorizationRequestAuthenticationToken request =
                (OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
        boolean mayUseTheGrant = request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null
                && client.getRegisteredClient().getAuthorizationGrantTypes().contains(AuthorizationGrantType.DEVICE_CODE);
        if (mayUseTheGrant && request.getScopes().isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                    "Name the scopes the user is to approve", null));
        }
        Verdict verdict = guard.checkRequestFromIp(RATE_LIMIT_KIND, clientIp(addresses), settings.startsPerIp(),
                settings.startWindow());
        if (!verdict.allowed()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(RateLimitResponses.OAUTH_ERROR),
                    new RateLimitExceededException(verdict));
        }
        if (!mayUseTheGrant || !request.getScopes().contains(OidcScopes.OPENID)) {
            return delegate.authenticate(authentication);
        }
        return withOpenId(request);
    }

    /**
     * The framework refuses {@code openid} at this endpoint because its device code grant issues no ID token;
     * Latchkey's does ({@link PollingPace}). So the request goes to the framework without it, and the scope is put
     * back into what the user will be asked to approve.
     */
    private Authentication withOpenId(OAuth2DeviceAuthorizationRequestAuthenticationToken request) {
        Set<String> others = new LinkedHashSet<>(request.getScopes());
        others.remove(OidcScopes.OPENID);
        OAuth2DeviceAuthorizationRequestAuthenticationToken withoutOpenId =
                new OAuth2DeviceAuthorizationRequestAuthenticationToken((Authentication) request.getPrincipal(),
                        request.getAuthorizationUri(), others, request.getAdditionalParameters());
        OAuth2DeviceAuthorizationRequestAuthenticationToken started =
                (OAuth2DeviceAuthorizationRequestAuthenticationToken) delegate.authenticate(withoutOpenId);
        OAuth2Authorization authorization = authorizations.findByToken(started.getDeviceCode().getTokenValue(),
                DEVICE_CODE);
        if (authorization == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.SERVER_ERROR);
        }
        authorizations.save(OAuth2Authorization.from(authorization)
                .attribute(OAuth2ParameterNames.SCOPE, new HashSet<>(request.getScopes()))
                .build());
        return new OAuth2DeviceAuthorizationRequestAuthenticationToken((Authentication) started.getPrincipal(),
                request.getScopes(), started.getDeviceCode(), started.getUserCode());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }

    /** The client IP of the request being served (the framework's request objects do not carry it). */
    static String clientIp(ClientAddresses addresses) {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return addresses.clientIp(request);
        }
        return "unknown";
    }
}
