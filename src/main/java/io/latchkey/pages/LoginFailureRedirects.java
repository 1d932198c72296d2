package io.latchkey.pages;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import io.latchkey.account.EmailNotVerifiedException;
import io.latchkey.account.SecondFactorRequiredException;
import io.latchkey.admission.BusyResponses;
import io.latchkey.crypto.PasswordHashingBusyException;
import io.latchkey.database.DatabaseFailures;
import io.latchkey.database.DatabaseUnavailableException;
import io.latchkey.mfa.PendingSecondStep;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * Where a failed sign-in goes. Every failure that could tell a guesser something (unknown email, wrong
 * password, disabled or locked account) gets the same generic page. Only a user who gave the right
 * password learns that their address is not verified yet. An attempt over a brute-force limit, whose password
 * was not checked, gets 429. A right password of an account with a second factor goes on to the code page
 * ({@link PendingSecondStep}). The email is kept for the form ({@link KeptLoginEmail}); the password never is.
 */
class LoginFailureRedirects implements AuthenticationFailureHandler {

    static final String UNVERIFIED_EMAIL = LoginFailureRedirects.class.getName() + ".UNVERIFIED_EMAIL";
    private final DefaultRedirectStrategy redirects = new DefaultRedirectStrategy();
    private final KeptLoginEmail keptEmail;
    private final PendingSecondStep pendingSecondSteps;

    LoginFailureRedirects(KeptLoginEmail keptEmail, PendingSecondStep pendingSecondSteps) {
        this.keptEmail = keptEmail;
        this.pendingSecondSteps = pendingSecondSteps;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        if (DatabaseFailures.isConnectionFailure(exception)) {
            // not a failed sign-in: nothing was checked. Left to the outage filter, which answers 503
            throw new DatabaseUnavailableException(exception);
        }
        Optional<Verdict> limited = RateLimitExceededException.find(exception);
        if (exception instanceof SecondFactorRequiredException passwordRight && passwordRight.enrolled()) {
            // the password was right: not a failure, not a sign-in yet; the code page finishes it
            pendingSecondSteps.hold(request, passwordRight);
            redirects.sendRedirect(request, response, "/login/second-factor");
        }
        else if (exception instanceof EmailNotVerifiedException) {
            request.getSession().setAttribute(UNVERIFIED_EMAIL, request.getParameter("username"));
            redirects.sendRedirect(request, response, "/login?unverified");
        }
        else if (limited.isPresent()) {
            // the password was not checked: 429 with Retry-After and the page that says how long to wait
            RateLimitResponses.sendHostedPage(request, response, limited.get());
        }
        else if (exception instanceof PasswordHashingBusyException) {
            // the password was not checked: 503 with Retry-After, not a failed sign-in
            BusyResponses.write(request, response, Duration.ofSeconds(1));
        }
        else {
            keptEmail.keep(request, response);
            redirects.sendRedirect(request, response, "/login?error");
        }
    }
}
