package io.latchkey.oauth.challenge;

import io.latchkey.ratelimit.Verdict;

/**
 * A refusal of the authorization challenge endpoint, as the draft "OAuth 2.0 for First-Party Applications"
 * (section 5.2.2) spells it: an error code of RFC 6749 or of the draft, a description, and, when the client may go
 * on, the {@code auth_session} to send next. The status is 400 unless the code says otherwise: 401 for
 * {@code invalid_client}, 403 for {@code insufficient_authorization} and {@code redirect_to_web}, 429 over a limit.
 */
final class ChallengeError extends RuntimeException {

    static final String INSUFFICIENT_AUTHORIZATION = "insufficient_authorization";
    static final String REDIRECT_TO_WEB = "redirect_to_web";
    static final String INVALID_SESSION = "invalid_session";

    private final int status;
    private final String error;
    private final String authSession;
    private final transient Verdict retry;

    private ChallengeError(int status, String error, String description, String authSession, Verdict retry) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.authSession = authSession;
        this.retry = retry;
    }

    static ChallengeError invalidRequest(String description) {
        return new ChallengeError(400, "invalid_request", description, null, null);
    }

    static ChallengeError methodNotAllowed() {
        return new ChallengeError(405, "invalid_request", "The authorization challenge endpoint accepts POST only",
                null, null);
    }

    static ChallengeError invalidClient(String description) {
        return new ChallengeError(401, "invalid_client", description, null, null);
    }

    static ChallengeError unauthorizedClient(String description) {
        return new ChallengeError(400, "unauthorized_client", description, null, null);
    }

    static ChallengeError invalidScope(String description) {
        return new ChallengeError(400, "invalid_scope", description, null, null);
    }

    static ChallengeError unsupportedResponseType(String description) {
        return new ChallengeError(400, "unsupported_response_type", description, null, null);
    }

    /** Wrong credentials; with an {@code authSession} when the same session may be tried again. */
    static ChallengeError invalidGrant(String description, String authSession) {
        return new ChallengeError(400, "invalid_grant", description, authSession, null);
    }

    static ChallengeError invalidSession(String description) {
        return new ChallengeError(400, INVALID_SESSION, description, null, null);
    }

    static ChallengeError insufficientAuthorization(String description, String authSession) {
        return new ChallengeError(403, INSUFFICIENT_AUTHORIZATION, description, authSession, null);
    }

    static ChallengeError redirectToWeb(String description) {
        return new ChallengeError(403, REDIRECT_TO_WEB, description, null, null);
    }

    static ChallengeError tooManyAttempts(Verdict verdict) {
        return new ChallengeError(429, "temporarily_unavailable", "Too many attempts. Try again in "
                + verdict.retryAfterSeconds() + " seconds.", null, verdict);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    String description() {
        return getMessage();
    }

    /** The session to send with the next request; null when there is none to go on with. */
    String authSession() {
        return authSession;
    }

    /** Over a rate limit: when to try again; null otherwise. */
    Verdict retry() {
        return retry;
    }
}
