package io.latchkey.logout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code sid} that ID tokens carry for a session: Spring's authorization server
 * ({@code OAuth2AuthorizationCodeAuthenticationProvider}) puts the base64url (unpadded) SHA-256 of the
 * session's id, in US-ASCII, so that the session id itself, a bearer credential, never leaves the server.
 */
final class SessionIds {

    private SessionIds() {
    }

    static String sid(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is always available", ex);
        }
    }
}
