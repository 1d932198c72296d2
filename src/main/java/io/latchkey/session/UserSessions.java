package io.latchkey.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * A user's browser sessions on every instance: listing them and ending them. Ending deletes the rows, so the
 * session is gone everywhere at once; each one ended is announced once ({@link SessionEnded}). The session of
 * the request at hand is ended through the request, so that nothing of it is written back afterwards.
 */
@Service
public class UserSessions {

    /** What ending a session from the account page did. */
    public enum Outcome { ENDED_OTHER, ENDED_CURRENT, NOT_FOUND }

    private final SharedSessions sessions;

    UserSessions(SharedSessions sessions) {
        this.sessions = sessions;
    }

    /** The user's live sessions, the most recently used first. */
    public List<ActiveSession> activeSessions(String userId) {
        String current = currentSessionId();
        List<ActiveSession> active = new ArrayList<>();
        sessionsOf(userId).forEach((id, session) -> active.add(new ActiveSession(handle(id),
                session.getAttribute(SignInDetails.BROWSER), session.getAttribute(SignInDetails.SYSTEM),
                session.getAttribute(SignInDetails.IP), signedInAt(session), session.getLastAccessedTime(),
                id.equals(current))));
        active.sort(Comparator.comparing(ActiveSession::lastSeenAt).reversed());
        return active;
    }

    /** Ends the user's session that the handle names; only the user's own sessions can be found this way. */
    public Outcome end(String userId, String handle) {
        if (handle == null || handle.length() > 64) {
            return Outcome.NOT_FOUND;
        }
        String current = currentSessionId();
        for (String id : sessionsOf(userId).keySet()) {
            if (handle(id).equals(handle)) {
                if (id.equals(current)) {
                    endCurrent();
                    return Outcome.ENDED_CURRENT;
                }
                return sessions.end(id) ? Outcome.ENDED_OTHER : Outcome.NOT_FOUND;
            }
        }
        return Outcome.NOT_FOUND;
    }

    /** Ends every session of the user, on every instance; returns how many ended. */
    public int endAll(String userId) {
        return endAllExcept(userId, null);
    }

    /** Ends every session of the user but the one with the given id (null: every one); returns how many ended. */
    public int endAllExcept(String userId, String keptSessionId) {
        String current = currentSessionId();
        int ended = 0;
        for (String id : sessionsOf(userId).keySet()) {
            if (id.equals(keptSessionId)) {
                continue;
            }
            if (id.equals(current)) {
                endCurrent();
                ended++;
            }
            else if (sessions.end(id)) {
                ended++;
            }
        }
        return ended;
    }

    /** The id of the session of the request being served, if it has one. */
    public static String currentSessionId() {
        HttpServletRequest request = currentRequest();
        HttpSession session = request == null ? null : request.getSession(false);
        return session == null ? null : session.getId();
    }

    private Map<String, Session> sessionsOf(String userId) {
        return sessions.findByPrincipalName(userId);
    }

    private static void endCurrent() {
        HttpServletRequest request = currentRequest();
        HttpSession session = request == null ? null : request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
    }

    private static Instant signedInAt(Session session) {
        Long millis = session.getAttribute(SignInDetails.SIGNED_IN_AT);
        return millis == null ? session.getCreationTime() : Instant.ofEpochMilli(millis);
    }

    /** Names a session without revealing its id: the start of the id's SHA-256, base64url. */
    static String handle(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }
}
