package io.latchkey.account;

import java.util.Set;

import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A user who must have a second factor ({@code latchkey.mfa.required-for-roles}) and has none does nothing else
 * until they enrol one: after the hosted sign-in every page, the authorization endpoint included, sends them to
 * {@value #PAGE}; afterwards they go on where they were headed. The password grant and the API refuse them
 * ({@link SecondFactorRequiredException} with {@code enrolled=false}). Whether it is required is read once per
 * session and kept in it until the enrolment page reports the enrolment ({@link #enrolled}).
 *
 * <p>Both browser filter chains add {@link #gate()} after {@link PasswordChangeRequired#gate()}.
 */
@Component
public class SecondFactorEnrolmentRequired {

    public static final String PAGE = "/account/second-factor";
    static final String REQUIRED = "latchkey.account.secondFactorEnrolmentRequired";
    static final String AFTERWARDS = "latchkey.account.afterSecondFactorEnrolment";
    private static final Set<String> ALWAYS_OPEN = Set.of("/login/second-factor", PasswordChangeRequired.PAGE,
            "/logout", "/login", "/error", "/favicon.ico", "/connect/logout");

    private final SessionHold hold;

    SecondFactorEnrolmentRequired(SecondFactor secondFactor) {
        this.hold = new SessionHold(PAGE, REQUIRED, AFTERWARDS,
                path -> ALWAYS_OPEN.contains(path) || path.startsWith(PAGE + "/")
                        || path.startsWith("/login/second-factor/") || path.startsWith("/static/"),
                secondFactor::mustEnrol);
    }

    /** A new filter for a security filter chain. */
    public OncePerRequestFilter gate() {
        return hold.gate();
    }

    /** Whether this session is being held on the enrolment page. */
    public static boolean held(HttpSession session) {
        return SessionHold.isHeld(session, REQUIRED);
    }

    /** The enrolment is made: this session goes on; returns where the user was headed, if anywhere. */
    public static String enrolled(HttpSession session) {
        return SessionHold.release(session, REQUIRED, AFTERWARDS);
    }
}
