package io.latchkey.oauth.challenge;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import io.latchkey.account.AttemptOrigin;
import io.latchkey.account.PasswordChangeRequiredException;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.SecondFactorRequiredException;
import io.latchkey.account.SignInFactors;
import io.latchkey.account.UserAccount;
import io.latchkey.account.UserDirectory;
import io.latchkey.admission.AdmissionRefusedException;
import io.latchkey.crypto.PasswordHashingBusyException;
import io.latchkey.database.DatabaseFailures;
import io.latchkey.database.DatabaseUnavailableException;
import io.latchkey.ratelimit.RateLimitExceededException;

/**
 * The two steps of the first-party flow. First: the password, through the one password sign-in every entrance
 * shares (its limits, lock and second-factor rule included); without a second factor the answer is an authorization
 * code, with one it is {@code insufficient_authorization} and an {@code auth_session}, and a user who must enrol a
 * second factor first is sent to the browser ({@code redirect_to_web}). Second: the {@code auth_session} and the code
 * ({@code otp}), checked by {@link SecondFactor#check}, which counts attempts toward the same limits and lock;
 * a right code ends the session and yields the authorization code, whose principal carries both factors.
 */
final class ChallengeSteps {

    static final String INVALID_CREDENTIALS = "The username or password is not valid";
    static final String SECOND_FACTOR_NEEDED = "A second factor is required: send the code from the authenticator "
            + "app, or a recovery code, as otp together with this auth_session";
    static final String ENROL_FIRST = "A second factor must be set up before this account can sign in here: sign in "
            + "in a browser (the authorization endpoint) to set it up";
    static final String CHANGE_PASSWORD_FIRST = "The password must be changed first: sign in in a browser "
            + "(the authorization endpoint) to choose a new one";
    static final String INVALID_SESSION = "The auth_session is not valid or has expired: start again with the password";
    static final String WRONG_CODE = "The code is not valid";
    static final String TOO_MANY_WRONG_CODES = "Too many wrong codes for this auth_session: start again with the password";

    private final AuthenticationProvider passwordSignIn;
    private final SecondFactor secondFactor;
    private final UserDirectory users;
    private final AuthSessions sessions;
    private final ChallengeCodes codes;
    private final ChallengeAudit audit;
    private final ApplicationEventPublisher events;
    private final ChallengeSettings settings;
    private final Clock clock;

    ChallengeSteps(AuthenticationProvider passwordSignIn, SecondFactor secondFactor, UserDirectory users,
            AuthSessions sessions, ChallengeCodes codes, ChallengeAudit audit, ApplicationEventPublisher events,
            ChallengeSettings settings, Clock clock) {
        this.passwordSignIn = passwordSignIn;
        this.secondFactor = secondFactor;
        this.users = users;
        this.sessions = sessions;
        this.codes = codes;
        this.audit = audit;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /** The first request: username and password; returns the authorization code. */
    String start(RegisteredClient client, ChallengeRequest request, String clientIp) {
        if (request.has(ChallengeRequest.OTP)) {
            throw ChallengeError.invalidRequest("otp goes with an auth_session, after the password");
        }
        request.requireCodeResponse();
        String username = request.username();
        String password = request.password();
        Set<String> scopes = request.scopes();
        if (!client.getScopes().containsAll(scopes)) {
            throw ChallengeError.invalidScope("The client may not ask for this scope");
        }
        String codeChallenge = request.codeChallenge();
        audit.started(client.getClientId());
        Authentication user;
        try {
            user = signIn(client, username, password, clientIp);
        }
        catch (SecondFactorRequiredException secondStep) {
            if (!secondStep.enrolled()) {
                audit.refused(client.getClientId(), secondStep.userId(), "second factor not set up");
                throw ChallengeError.redirectToWeb(ENROL_FIRST);
            }
            Instant now = clock.instant();
            String session = sessions.start(client.getClientId(), secondStep.userId(), scopes, codeChallenge,
                    secondStep.passwordStep(), now, now.plus(settings.sessionTtl()));
            audit.secondFactorNeeded(client.getClientId(), secondStep.userId());
            throw ChallengeError.insufficientAuthorization(SECOND_FACTOR_NEEDED, session);
        }
        String code = codes.issue(client, user, scopes, codeChallenge);
        audit.completed(client.getClientId(), UUID.fromString(user.getName()), SignInFactors.of(user));
        return code;
    }

    /** A later request: the auth_session and the second factor's code; returns the authorization code. */
    String proceed(RegisteredClient client, ChallengeRequest request, String clientIp) {
        if (request.has(ChallengeRequest.USERNAME) || request.has(ChallengeRequest.PASSWORD)) {
            throw ChallengeError.invalidRequest("An auth_session continues a sign-in: send otp, not a password");
        }
        String value = request.authSession();
        String otp = request.otp();
        AuthSessions.Pending session = sessions.find(value, clock.instant()).orElse(null);
        if (session == null) {
            audit.refused(client.getClientId(), null, "unknown or expired auth_session");
            throw ChallengeError.invalidSession(INVALID_SESSION);
        }
        if (!session.clientId().equals(client.getClientId())) {
            // a session that leaked to another client is of no further use to anyone
            sessions.end(session);
            audit.refused(client.getClientId(), session.userId(), "auth_session of another client");
            throw ChallengeError.invalidSession(INVALID_SESSION);
        }
        UserAccount user = users.findBySubject(session.userId().toString()).orElse(null);
        if (user == null || !user.enabled() || user.locked()) {
            sessions.end(session);
            audit.refused(client.getClientId(), session.userId(), "account cannot sign in");
            throw ChallengeError.invalidSession(INVALID_SESSION);
        }
        SecondFactor.CodeCheck check;
        try {
            check = secondFactor.check(session.userId(), otp, AttemptOrigin.untrusted(clientIp));
        }
        catch (RateLimitExceededException limited) {
            audit.refused(client.getClientId(), session.userId(), "too many attempts");
            throw ChallengeError.tooManyAttempts(limited.verdict());
        }
        if (!check.accepted()) {
            boolean exhausted = sessions.wrongCode(session, settings.maxWrongCodes());
            audit.refused(client.getClientId(), session.userId(), exhausted ? "too many wrong codes" : "wrong code");
            if (exhausted) {
                throw ChallengeError.invalidSession(TOO_MANY_WRONG_CODES);
            }
            throw ChallengeError.invalidGrant(WRONG_CODE, value);
        }
        if (!sessions.end(session)) {
            // another request with the same session won the race: one completion per session
            throw ChallengeError.invalidSession(INVALID_SESSION);
        }
        Authentication principal = signedIn(session, check.factor(), clock.instant());
        events.publishEvent(new AuthenticationSuccessEvent(principal));
        String code = codes.issue(client, principal, session.scopes(), session.codeChallenge());
        audit.completed(client.getClientId(), session.userId(), SignInFactors.of(principal));
        return code;
    }

    private Authentication signIn(RegisteredClient client, String username, String password, String clientIp) {
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(username,
                password);
        attempt.setDetails(new WebAuthenticationDetails(clientIp, null)); // counted per client IP
        try {
            Authentication user = passwordSignIn.authenticate(attempt);
            events.publishEvent(new AuthenticationSuccessEvent(user));
            return user;
        }
        catch (SecondFactorRequiredException secondStep) {
            throw secondStep;
        }
        catch (PasswordHashingBusyException busy) {
            throw new AdmissionRefusedException(java.time.Duration.ofSeconds(1));
        }
        catch (RateLimitExceededException limited) {
            throw ChallengeError.tooManyAttempts(limited.verdict());
        }
        catch (PasswordChangeRequiredException changeFirst) {
            audit.refused(client.getClientId(), null, "password change required");
            throw ChallengeError.redirectToWeb(CHANGE_PASSWORD_FIRST);
        }
        catch (AuthenticationException failed) {
            if (DatabaseFailures.isConnectionFailure(failed)) {
                throw new DatabaseUnavailableException(failed);
            }
            // recorded as a failed sign-in with its real reason, as at every password entrance
            new DefaultAuthenticationEventPublisher(events).publishAuthenticationFailure(failed, attempt);
            throw ChallengeError.invalidGrant(INVALID_CREDENTIALS, null);
        }
    }

    /** The user signed in with both factors: the password when it was proved, the code now. */
    private static Authentication signedIn(AuthSessions.Pending session, String codeFactor, Instant now) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        session.authorities().forEach(authority -> authorities.add(new SimpleGrantedAuthority(authority)));
        authorities.add(FactorGrantedAuthority.withAuthority(SignInFactors.PASSWORD).issuedAt(session.passwordAt())
                .build());
        authorities.add(FactorGrantedAuthority.withAuthority(codeFactor).issuedAt(now).build());
        User user = new User(session.userId().toString(), "", authorities);
        return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
    }
}
