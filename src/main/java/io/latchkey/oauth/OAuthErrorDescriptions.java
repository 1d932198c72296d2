package io.latchkey.oauth;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * The {@code error_description} of every OAuth error Latchkey answers with: a sentence that says what is wrong,
 * where the framework gives only a parameter's name ("OAuth 2.0 Parameter: redirect_uri") or nothing. The
 * sentences name the parameter at fault but never echo what the caller sent, and say no more than the error code
 * already does about whether a client exists: an unknown and a disabled client read the same.
 */
public final class OAuthErrorDescriptions {

    private static final String FRAMEWORK_PREFIX = "OAuth 2.0 Parameter: ";
    private static final String FRAMEWORK_CLIENT_PREFIX = "Client authentication failed: ";

    /** What a user who cancelled on the consent page (or ticked nothing) is reported to the application as. */
    public static final String USER_DENIED = "The user denied the request.";

    static final String CODE_INVALID = "The authorization code is not valid: it is unknown, expired or already "
            + "used, or was issued to another client.";
    static final String CODE_REPLAYED = "The authorization code was already used. A code can be used once; the "
            + "tokens issued with it have been revoked.";
    static final String CODE_EXPIRED = "The authorization code has expired. Start a new authorization request.";
    static final String REDIRECT_URI_MISMATCH = "The redirect_uri does not match the one of the authorization "
            + "request.";
    static final String PKCE_MISMATCH = "The code_verifier is missing or does not match the code_challenge of the "
            + "authorization request (PKCE).";

    private OAuthErrorDescriptions() {
    }

    /** The error with a description that says what is wrong; an error with a sentence of its own is kept. */
    public static OAuth2Error readable(OAuth2Error error) {
        String description = error.getDescription();
        String parameter;
        if (description == null || description.isBlank()) {
            parameter = "";
        }
        else if (description.startsWith(FRAMEWORK_PREFIX)) {
            parameter = description.substring(FRAMEWORK_PREFIX.length()).trim();
        }
        else if (description.startsWith(FRAMEWORK_CLIENT_PREFIX)) {
            parameter = description.substring(FRAMEWORK_CLIENT_PREFIX.length()).trim();
        }
        else {
            return error;
        }
        return new OAuth2Error(error.getErrorCode(), describe(error.getErrorCode(), parameter), error.getUri());
    }

    private static String describe(String code, String parameter) {
        return switch (code) {
            case OAuth2ErrorCodes.ACCESS_DENIED -> USER_DENIED;
            case OAuth2ErrorCodes.INVALID_SCOPE -> "The requested scope is unknown, malformed or not allowed for "
                    + "this client.";
            case OAuth2ErrorCodes.UNAUTHORIZED_CLIENT -> "This client is not allowed to use this grant or response "
                    + "type.";
            case OAuth2ErrorCodes.UNSUPPORTED_RESPONSE_TYPE -> "The response_type is not supported: use code.";
            case OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE -> "The grant_type is not supported.";
            case OAuth2ErrorCodes.INVALID_CLIENT -> "Client authentication failed.";
            case OAuth2ErrorCodes.INVALID_GRANT -> switch (parameter) {
                case "code_verifier" -> PKCE_MISMATCH;
                case "code", "client_id" -> CODE_INVALID;
                default -> "The grant is invalid, expired or revoked, or was issued to another client.";
            };
            case OAuth2ErrorCodes.INVALID_REQUEST -> invalidRequest(parameter);
            case OAuth2ErrorCodes.SERVER_ERROR -> "The server could not complete the request.";
            default -> parameter.isEmpty() ? "The request was refused (" + code + ")."
                    : "The " + parameter + " parameter is not valid.";
        };
    }

    private static String invalidRequest(String parameter) {
        return switch (parameter) {
            case "client_id" -> "The client_id is missing or is not that of a registered, enabled client.";
            case "redirect_uri" -> "The redirect_uri is missing or is not registered for this client.";
            case "code_challenge" -> "A PKCE code_challenge is required, sent once.";
            case "code_challenge_method" -> "The code_challenge_method must be S256.";
            case "state" -> "The state is missing or does not match the authorization request.";
            case "" -> "The request is missing a parameter, repeats one, or has one that is not valid.";
            default -> "The " + parameter + " parameter is missing, repeated or not valid.";
        };
    }
}
