package io.latchkey.logout;

import java.time.Clock;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.latchkey.oauth.IdTokenIssued;

/**
 * Remembers, for every ID token issued in a browser session, that its client got tokens there: those are
 * the clients told when the session ends. Recorded when the token is built, so a token whose request then
 * fails still counts; a logout token too many is harmless, one too few is not.
 */
@Component
class SessionClientsRecorder {

    private final SessionClients sessions;
    private final Clock clock;

    SessionClientsRecorder(SessionClients sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @EventListener
    void on(IdTokenIssued issued) {
        sessions.record(issued.sid(), issued.clientId(), issued.subject(), clock.instant());
    }
}
