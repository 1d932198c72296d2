package io.latchkey.ratelimit;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Records the outcome of a hosted sign-in that {@link CredentialEndpointFilter} let through: a wrong password is a
 * failure, a right one a success; other refusals (unverified address, busy hasher, locked account) count for
 * nothing. Authentications outside such a request (OAuth clients, bearer tokens, other callers of the guard, which
 * record their own outcomes) are ignored.
 */
@Component
class SignInOutcomes {

    private final CredentialGuard guard;

    SignInOutcomes(CredentialGuard guard) {
        this.guard = guard;
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        if (!isUserSignIn(event.getAuthentication())) {
            return; // the client authenticating at the token endpoint, say
        }
        CredentialEndpointFilter.SignInAttempt attempt = currentAttempt();
        if (attempt != null) {
            guard.recordSuccess(attempt.clientIp(), attempt.username());
        }
    }

    @EventListener
    void onWrongPassword(AuthenticationFailureBadCredentialsEvent event) {
        if (!isUserSignIn(event.getAuthentication())) {
            return;
        }
        CredentialEndpointFilter.SignInAttempt attempt = currentAttempt();
        if (attempt != null) {
            guard.recordFailure(attempt.clientIp(), attempt.username());
        }
    }

    private static boolean isUserSignIn(org.springframework.security.core.Authentication authentication) {
        return authentication instanceof org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
    }

    private static CredentialEndpointFilter.SignInAttempt currentAttempt() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            return null;
        }
        Object attempt = request.getAttribute(CredentialEndpointFilter.SIGN_IN_ATTEMPT, RequestAttributes.SCOPE_REQUEST);
        if (attempt instanceof CredentialEndpointFilter.SignInAttempt signIn) {
            // one outcome per attempt, even if several authentication events fire for the request
            request.removeAttribute(CredentialEndpointFilter.SIGN_IN_ATTEMPT, RequestAttributes.SCOPE_REQUEST);
            return signIn;
        }
        return null;
    }
}
