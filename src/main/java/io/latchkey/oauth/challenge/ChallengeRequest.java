package io.latchkey.oauth.challenge;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;

/**
 * The parameters of one request to the authorization challenge endpoint, read strictly: a form body, each parameter
 * at most once, each within its length, so that whatever is malformed is {@code invalid_request} before anything is
 * checked. First request: {@code response_type=code}, {@code username}, {@code password}, {@code scope},
 * {@code code_challenge} and {@code code_challenge_method=S256}. Second request: {@code auth_session} and
 * {@code otp} (a TOTP code or a recovery code; the draft leaves the name of this parameter to the server).
 */
final class ChallengeRequest {

    static final String CLIENT_ID = "client_id";
    static final String RESPONSE_TYPE = "response_type";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String SCOPE = "scope";
    static final String CODE_CHALLENGE = "code_challenge";
    static final String CODE_CHALLENGE_METHOD = "code_challenge_method";
    static final String AUTH_SESSION = "auth_session";
    static final String OTP = "otp";

    static final int MAX_USERNAME_LENGTH = 320;
    static final int MAX_PASSWORD_LENGTH = 1024;
    private static final int MAX_SCOPE_LENGTH = 1000;
    private static final int MAX_CLIENT_ID_LENGTH = 100;
    private static final int MAX_AUTH_SESSION_LENGTH = 100;
    private static final int MAX_OTP_LENGTH = 64;
    /** RFC 7636 section 4.2: the base64url SHA-256 of the verifier is 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final Map<String, String[]> parameters;

    private ChallengeRequest(Map<String, String[]> parameters) {
        this.parameters = parameters;
    }

    static ChallengeRequest read(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            throw ChallengeError.methodNotAllowed();
        }
        MediaType type;
        try {
            type = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        }
        catch (RuntimeException unreadable) {
            type = null;
        }
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
            throw ChallengeError.invalidRequest("The request must be a form (application/x-www-form-urlencoded)");
        }
        if (request.getQueryString() != null) {
            // a password or code in the URL ends up in logs: the draft's parameters go in the body
            throw ChallengeError.invalidRequest("Parameters go in the form body, not in the URL");
        }
        Map<String, String[]> parameters = request.getParameterMap();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            if (parameter.getValue().length != 1) {
                throw ChallengeError.invalidRequest("OAuth 2.0 Parameter: " + printable(parameter.getKey())
                        + " must be given once");
            }
        }
        return new ChallengeRequest(parameters);
    }

    /** Whether this request continues an earlier one (it names an {@code auth_session}). */
    boolean continuesSession() {
        return parameters.containsKey(AUTH_SESSION);
    }

    boolean has(String name) {
        return parameters.containsKey(name);
    }

    String clientId() {
        return optional(CLIENT_ID, MAX_CLIENT_ID_LENGTH);
    }

    void requireCodeResponse() {
        String responseType = required(RESPONSE_TYPE, 100);
        if (!"code".equals(responseType)) {
            throw ChallengeError.unsupportedResponseType("response_type must be code");
        }
    }

    String username() {
        return required(USERNAME, MAX_USERNAME_LENGTH);
    }

    String password() {
        return required(PASSWORD, MAX_PASSWORD_LENGTH);
    }

    Set<String> scopes() {
        String scope = optional(SCOPE, MAX_SCOPE_LENGTH);
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(scope.trim().split(" +")));
        if (!scopes.stream().allMatch(token -> SCOPE_TOKEN.matcher(token).matches())) {
            throw ChallengeError.invalidScope("The scope is not valid");
        }
        return scopes;
    }

    /** The PKCE challenge (RFC 7636), which binds the code to this client instance: required, S256 only. */
    String codeChallenge() {
        String challenge = optional(CODE_CHALLENGE, 128);
        if (challenge == null) {
            throw ChallengeError.invalidRequest("OAuth 2.0 Parameter: code_challenge (PKCE with S256 is required)");
        }
        if (!"S256".equals(parameter(CODE_CHALLENGE_METHOD))) {
            throw ChallengeError.invalidRequest("OAuth 2.0 Parameter: code_challenge_method must be S256");
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            throw ChallengeError.invalidRequest("OAuth 2.0 Parameter: code_challenge is not an S256 challenge");
        }
        return challenge;
    }

    String authSession() {
        return required(AUTH_SESSION, MAX_AUTH_SESSION_LENGTH);
    }

    String otp() {
        return required(OTP, MAX_OTP_LENGTH);
    }

    private String required(String name, int maxLength) {
        String value = optional(name, maxLength);
        if (value == null || value.isBlank()) {
            throw ChallengeError.invalidRequest("OAuth 2.0 Parameter: " + name + " is required");
        }
        return value;
    }

    private String optional(String name, int maxLength) {
        String value = parameter(name);
        if (value != null && value.length() > maxLength) {
            throw ChallengeError.invalidRequest("OAuth 2.0 Parameter: " + name + " is too long");
        }
        return value;
    }

    private String parameter(String name) {
        String[] values = parameters.get(name);
        return values == null ? null : values[0];
    }

    /** A parameter name as it may appear in an error description: ASCII letters, digits, a few marks, short. */
    private static String printable(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }
}
