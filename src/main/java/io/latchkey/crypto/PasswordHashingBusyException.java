package io.latchkey.crypto;

import org.springframework.security.authentication.AuthenticationServiceException;

/** Too many password hashes waited too long: the server is overloaded, not the password wrong. */
public class PasswordHashingBusyException extends AuthenticationServiceException {

    PasswordHashingBusyException() {
        super("Password hashing is saturated; try again shortly");
    }
}
