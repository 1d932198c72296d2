package io.latchkey.oauth.clientauth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * Failed client assertions count against the client IP exactly as wrong client secrets do
 * ({@link CredentialGuard#checkClientSecret}, the same per-IP bucket): a key lookup (perhaps a fetch of the client's
 * {@code jwks_uri}) and a signature check cost real work, and a stream of forged assertions is guessing all the same.
 * Over the limit the assertion is not checked at all and the answer is 429 {@code temporarily_unavailable}. Unlike a
 * secret, an assertion cannot be guessed (it needs the client's private key), so failures are not counted per client
 * id: anyone could otherwise lock a client out by sending forged assertions in its name.
 */
final class ClientAssertionAttempts implements AuthenticationProvider {

    /** The method the framework's converter gives a request with {@code client_assertion_type} jwt-bearer. */
    static final ClientAuthenticationMethod JWT_ASSERTION = new ClientAuthenticationMethod(
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

    /** No client id: the guard then counts per client IP alone. */
    private static final String NOT_PER_CLIENT = null;

    private final AuthenticationProvider assertions;
    private final CredentialGuard guard;

    ClientAssertionAttempts(AuthenticationProvider assertions, CredentialGuard guard) {
        this.assertions = assertions;
        this.guard = guard;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return assertions.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
        if (!JWT_ASSERTION.equals(request.getClientAuthenticationMethod())) {
            return null;
        }
        String clientIp = request.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        Verdict verdict = guard.checkClientSecret(clientIp, NOT_PER_CLIENT);
        if (!verdict.allowed()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(RateLimitResponses.OAUTH_ERROR),
                    new RateLimitExceededException(verdict));
        }
        try {
            return assertions.authenticate(authentication);
        }
        catch (OAuth2AuthenticationException rejected) {
            if (OAuth2ErrorCodes.INVALID_CLIENT.equals(rejected.getError().getErrorCode())) {
                guard.recordClientSecretFailure(clientIp, NOT_PER_CLIENT);
            }
            throw rejected;
        }
    }
}
