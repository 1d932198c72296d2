package io.latchkey.oauth.device;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;

import io.latchkey.http.ClientAddresses;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * A user code is the credential of the device flow, and short enough to be guessed: wherever one is checked (the
 * activation page, {@link ActivationController}, and the framework's verification endpoint, which this wraps), a
 * wrong one counts against the client IP ({@code latchkey.device.wrong-user-codes-per-ip} per
 * {@code wrong-user-code-window}), and over the limit no code is looked up (429). The code is read in its one
 * spelling ({@link UserCodes#normalize}) before it is looked up by its hash.
 */
final class UserCodeGuesses implements AuthenticationProvider {

    static final String RATE_LIMIT_KIND = "usercode";

    private final AuthenticationProvider delegate;
    private final CredentialGuard guard;
    private final ClientAddresses addresses;
    private final DeviceSettings settings;

    UserCodeGuesses(AuthenticationProvider delegate, CredentialGuard guard, ClientAddresses addresses,
            DeviceSettings settings) {
        this.delegate = delegate;
        this.guard = guard;
        this.addresses = addresses;
        this.settings = settings;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceVerificationAuthenticationToken request = (OAuth2DeviceVerificationAuthenticationToken) authentication;
        String clientIp = DeviceAuthorizationStarts.clientIp(addresses);
        allowed(guard, clientIp, settings);
        String userCode = UserCodes.normalize(request.getUserCode()).orElse(null);
        if (userCode == null) {
            wrong(guard, clientIp, settings);
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
        }
        OAuth2DeviceVerificationAuthenticationToken normalized = new OAuth2DeviceVerificationAuthenticationToken(
                (Authentication) request.getPrincipal(), userCode, request.getAdditionalParameters());
        try {
            return delegate.authenticate(normalized);
        }
        catch (OAuth2AuthenticationException refused) {
            if (OAuth2ErrorCodes.INVALID_GRANT.equals(refused.getError().getErrorCode())) {
                wrong(guard, clientIp, settings);
            }
            throw refused;
        }
    }

    /** Throws the 429 when {@code clientIp} typed too many wrong user codes lately. */
    static void allowed(CredentialGuard guard, String clientIp, DeviceSettings settings) {
        Verdict verdict = guard.checkCodeEntry(RATE_LIMIT_KIND, clientIp, settings.wrongUserCodesPerIp(),
                settings.wrongUserCodeWindow());
        if (!verdict.allowed()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(RateLimitResponses.OAUTH_ERROR),
                    new RateLimitExceededException(verdict));
        }
    }

    static void wrong(CredentialGuard guard, String clientIp, DeviceSettings settings) {
        guard.recordWrongCode(RATE_LIMIT_KIND, clientIp, settings.wrongUserCodesPerIp(), settings.wrongUserCodeWindow());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}
