package io.latchkey.api;

import org.springframework.security.access.AccessDeniedException;

import io.latchkey.account.AuthenticationLevel;

/**
 * The token's permissions allow the operation, but the sign-in it came from is too weak for it: the client must get a
 * token from a stronger sign-in ({@code acr_values} = {@link #needed()}), per RFC 9470.
 */
class InsufficientUserAuthenticationException extends AccessDeniedException {

    private final AuthenticationLevel needed;

    InsufficientUserAuthenticationException(AuthenticationLevel needed) {
        super("The sign-in behind the token is too weak for this operation");
        this.needed = needed;
    }

    AuthenticationLevel needed() {
        return needed;
    }
}
