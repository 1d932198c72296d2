package io.latchkey.mfa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.stereotype.Component;

import io.latchkey.account.SecondFactorRequiredException;

/**
 * A hosted sign-in between its password and its code: the password step's authentication (with the password
 * factor and its time), the user and the email as typed, held in the server-side session, never in a cookie the
 * browser could forge. It expires after {@link #LIFETIME}; a right code or a new sign-in ends it.
 */
@Component
public class PendingSecondStep {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final String ATTRIBUTE = PendingSecondStep.class.getName();

    private final Clock clock;

    public PendingSecondStep(Clock clock) {
        this.clock = clock;
    }

    /** What the code page needs of the password step. */
    record Pending(UUID userId, Authentication passwordStep, String typedEmail, Instant since)
            implements java.io.Serializable {
    }

    /** Holds the password step of this browser's sign-in for the code page (replacing any earlier one). */
    public void hold(HttpServletRequest request, SecondFactorRequiredException passwordRight) {
        String typed = request.getParameter(UsernamePasswordAuthenticationFilter.SPRING_SECURITY_FORM_USERNAME_KEY);
        request.getSession().setAttribute(ATTRIBUTE, new Pending(passwordRight.userId(), passwordRight.passwordStep(),
                typed, clock.instant()));
    }

    /** The unexpired password step of this browser, if any; an expired one is dropped. */
    Optional<Pending> current(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof Pending pending)) {
            return Optional.empty();
        }
        if (pending.since().plus(LIFETIME).isBefore(clock.instant())) {
            session.removeAttribute(ATTRIBUTE);
            return Optional.empty();
        }
        return Optional.of(pending);
    }

    void end(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ATTRIBUTE);
        }
    }
}
