package io.latchkey.crypto;

import org.springframework.security.authentication.AuthenticationServiceException;

import io.latchkey.admission.ServerOverloaded;

/** Too many password hashes waited too long: the server is overloaded, not the password wrong. */
public class PasswordHashingBusyException extends AuthenticationServiceException implements ServerOverloaded {

    PasswordHashingBusyException() {
        super("Password hashing is saturated; try again shortly");
    }
}
