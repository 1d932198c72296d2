package io.latchkey.oauth;

/**
 * An ID token that names a browser session is being issued. Published while the token is built, on the
 * thread that issues it, before it is signed; listeners must be quick and must not sign or call out.
 *
 * @param sid the token's {@code sid}: base64url of the SHA-256 of the session's id, as Spring's
 *        authorization server computes it (never the session id itself)
 * @param clientId the client the token is for
 * @param subject the token's {@code sub}, the user's id
 */
public record IdTokenIssued(String sid, String clientId, String subject) {
}
