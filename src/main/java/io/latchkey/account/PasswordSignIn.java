package io.latchkey.account;

import java.time.Clock;
import java.util.UUID;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The one password sign-in behind every entrance: the hosted form, the password grant at the token endpoint and the
 * API's login. The brute-force rules ({@link PasswordAttempts}) sit around the password check itself, so no
 * spelling of a URL can skip them. The delegate (Spring Security's {@code DaoAuthenticationProvider}) checks the
 * password and then whether the account is disabled or locked for good; after it, the temporary lock after failed
 * sign-ins and the verified address are checked here, because only here is it known whether the attempt comes from a
 * trusted device. Every refusal after the password costs the same password check and tells a guesser nothing.
 *
 * <p>The client IP and device cookie come from the authentication's details: {@link TrustedDevices#signInDetails()}
 * for the hosted form, Spring Security's {@link WebAuthenticationDetails} for the others.
 */
final class PasswordSignIn implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final PasswordAttempts attempts;
    private final UserRepository users;
    private final RegistrationSettings settings;
    private final SecondFactor secondFactor;
    private final Clock clock;

    PasswordSignIn(AuthenticationProvider passwords, PasswordAttempts attempts, UserRepository users,
            RegistrationSettings settings, SecondFactor secondFactor, Clock clock) {
        this.passwords = passwords;
        this.attempts = attempts;
        this.users = users;
        this.settings = settings;
        this.secondFactor = secondFactor;
        this.clock = clock;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        PasswordAttempts.Attempt attempt = attempts.begin(authentication.getName(),
                originOf(authentication.getDetails()));
        Authentication user;
        try {
            user = passwords.authenticate(authentication);
        }
        catch (BadCredentialsException wrong) {
            attempt.failed();
            throw wrong;
        }
        UserRepository.StoredUser stored = users.findById(UUID.fromString(user.getName()))
                .orElseThrow(() -> new BadCredentialsException("Bad credentials"));
        if (attempt.honoursLock() && stored.temporarilyLocked(clock.instant())) {
            throw new LockedException("User account is locked");
        }
        // only after the right password, so it tells nothing to someone guessing; a password reset verifies too
        if (settings.requireVerifiedEmail() && !stored.account().emailVerified()) {
            throw new EmailNotVerifiedException();
        }
        attempt.succeeded();
        UUID userId = stored.account().id();
        boolean hostedSignIn = authentication.getDetails() instanceof TrustedDevices.BrowserSignInDetails;
        // no entrance signs in on the password alone when there is a second factor; the hosted sign-in enrols a
        // user who must have one after signing in, every other entrance refuses until then
        if (secondFactor.isEnrolled(userId)) {
            throw new SecondFactorRequiredException(withoutSecrets(user), userId, true);
        }
        if (!hostedSignIn && secondFactor.mustEnrol(userId)) {
            throw new SecondFactorRequiredException(withoutSecrets(user), userId, false);
        }
        // the hosted sign-in goes on to the change-password page (PasswordChangeRequired); nothing else gets tokens
        if (!hostedSignIn && users.passwordChangeRequired(userId)) {
            throw new PasswordChangeRequiredException();
        }
        return user;
    }

    /**
     * The password step is kept until the second one (in the browser's session, which lives in the database): without
     * the typed password and the stored hash, which the provider manager erases only from a finished sign-in.
     */
    private static Authentication withoutSecrets(Authentication passwordStep) {
        if (passwordStep instanceof CredentialsContainer secrets) {
            secrets.eraseCredentials();
        }
        return passwordStep;
    }

    private static AttemptOrigin originOf(Object details) {
        if (details instanceof TrustedDevices.BrowserSignInDetails browser) {
            return browser.origin();
        }
        if (details instanceof WebAuthenticationDetails web) {
            return AttemptOrigin.untrusted(web.getRemoteAddress());
        }
        return AttemptOrigin.untrusted(null);
    }
}
