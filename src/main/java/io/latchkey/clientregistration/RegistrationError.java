package io.latchkey.clientregistration;

import org.springframework.http.HttpStatus;

/**
 * A refused registration or configuration request, answered as the JSON error of RFC 7591 section 3.2.2
 * ({@code {"error": ..., "error_description": ...}}) with its status; a refused bearer token also carries the
 * {@code WWW-Authenticate} challenge of RFC 6750 section 3. The description is for the client's developer and never
 * says whether a client exists.
 */
final class RegistrationError extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request";
    static final String INVALID_TOKEN = "invalid_token";
    static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";
    static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";
    static final String INVALID_SOFTWARE_STATEMENT = "invalid_software_statement";
    static final String UNAPPROVED_SOFTWARE_STATEMENT = "unapproved_software_statement";

    private final HttpStatus status;
    private final String error;
    private final String challenge;

    private RegistrationError(HttpStatus status, String error, String description, String challenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.challenge = challenge;
    }

    static RegistrationError badRequest(String error, String description) {
        return new RegistrationError(HttpStatus.BAD_REQUEST, error, description, null);
    }

    /** No bearer token at all: RFC 6750 section 3.1 gives the challenge no error code then. */
    static RegistrationError missingToken(String description) {
        return new RegistrationError(HttpStatus.UNAUTHORIZED, INVALID_TOKEN, description, "Bearer");
    }

    static RegistrationError invalidToken(String description) {
        return new RegistrationError(HttpStatus.UNAUTHORIZED, INVALID_TOKEN, description,
                "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    static RegistrationError insufficientScope(String scope) {
        String description = "The access token lacks the scope " + scope;
        return new RegistrationError(HttpStatus.FORBIDDEN, INSUFFICIENT_SCOPE, description,
                "Bearer error=\"insufficient_scope\", error_description=\"" + description + "\", scope=\"" + scope + "\"");
    }

    HttpStatus status() {
        return status;
    }

    String error() {
        return error;
    }

    /** The {@code WWW-Authenticate} header's value; null when none is sent. */
    String challenge() {
        return challenge;
    }
}
