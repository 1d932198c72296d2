package io.latchkey.oauth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import io.latchkey.client.ClientSecretVerifier;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * Client secrets at the token, introspection and revocation endpoints: every wrong one costs a full password hash
 * from the pool that user sign-ins share, so wrong secrets are limited per client IP and per client id
 * ({@link CredentialGuard#checkClientSecret}). Over a limit the secret is not checked at all and the answer is 429
 * {@code temporarily_unavailable} ({@link RateLimitedOAuthErrors}). Only wrong secrets (and unknown client ids)
 * count, so a client's own burst of requests is never held up. A secret the {@link ClientSecretVerifier}
 * remembers as right costs no hash and is never limited, so a client keeps working while someone else guesses at
 * its id.
 */
final class ClientSecretAttempts implements AuthenticationProvider {

    private final RotatedClientSecrets secrets;
    private final RegisteredClientRepository clients;
    private final CredentialGuard guard;

    ClientSecretAttempts(RotatedClientSecrets secrets, RegisteredClientRepository clients, CredentialGuard guard) {
        this.secrets = secrets;
        this.clients = clients;
        this.guard = guard;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return secrets.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
        if (!ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(request.getClientAuthenticationMethod())
                && !ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(request.getClientAuthenticationMethod())) {
            return secrets.authenticate(authentication);
        }
        String clientId = String.valueOf(request.getPrincipal());
        if (isRemembered(clientId, request.getCredentials())) {
            return secrets.authenticate(authentication);
        }
        String clientIp = request.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        Verdict verdict = guard.checkClientSecret(clientIp, clientId);
        if (!verdict.allowed()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(RateLimitResponses.OAUTH_ERROR),
                    new RateLimitExceededException(verdict));
        }
        try {
            return secrets.authenticate(authentication);
        }
        catch (OAuth2AuthenticationException rejected) {
            if (OAuth2ErrorCodes.INVALID_CLIENT.equals(rejected.getError().getErrorCode())) {
                guard.recordClientSecretFailure(clientIp, clientId);
            }
            throw rejected;
        }
    }

    private boolean isRemembered(String clientId, Object secret) {
        RegisteredClient client = secret == null ? null : clients.findByClientId(clientId);
        return client != null && client.getClientSecret() != null && secrets.isRemembered(client, secret.toString());
    }
}
