package io.latchkey.oauth.authorize;

import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

import io.latchkey.account.AuthenticationLevel;
import io.latchkey.account.Passkeys;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.SignInAssurance;
import io.latchkey.account.UserDirectory;

/**
 * What {@link ClientRequiresMfa} and {@link AcrValues} share: the level of the signed-in session, what the user
 * could reach by adding a factor, and how a request is sent to a step-up page (or, with {@code prompt=none}, refused
 * with {@code interaction_required}).
 */
final class StepUp {

    private final UserDirectory users;
    private final SecondFactor secondFactor;
    private final Passkeys passkeys;

    StepUp(UserDirectory users, SecondFactor secondFactor, Passkeys passkeys) {
        this.users = users;
        this.secondFactor = secondFactor;
        this.passkeys = passkeys;
    }

    /** The signed-in user of the request; null when nobody is signed in (the login page comes first). */
    static Authentication signedIn(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        Object principal = context.getAuthentication().getPrincipal();
        return AuthenticationTime.isSignedIn(principal) ? (Authentication) principal : null;
    }

    static boolean satisfies(Authentication signIn, AuthenticationLevel required) {
        AuthenticationLevel level = SignInAssurance.level(signIn);
        return level != null && level.satisfies(required);
    }

    /**
     * Whether the user has what it takes to reach {@code level} on the code page: a second factor or a passkey for
     * {@link AuthenticationLevel#MFA}, a passkey for {@link AuthenticationLevel#PHISHING_RESISTANT}.
     */
    boolean canReach(Authentication signIn, AuthenticationLevel level) {
        UUID user = users.findBySubject(signIn.getName()).map(account -> account.id()).orElse(null);
        if (user == null) {
            return false;
        }
        return switch (level) {
            case PASSWORD -> true;
            case MFA -> secondFactor.isEnrolled(user) || passkeys.canSignInWithPasskey(user);
            case PHISHING_RESISTANT -> passkeys.canSignInWithPasskey(user);
        };
    }

    /** Sends the request to {@code page}, or answers {@code interaction_required} when the client said prompt=none. */
    static StepUpRequiredException or(String page, String whyNotInteractive,
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (Prompt.of(context.getAuthentication()).none()) {
            throw AuthorizationRequestErrors.error("interaction_required", whyNotInteractive, context);
        }
        PendingStepUp.remember(page);
        return new StepUpRequiredException(page, AuthorizationRequestErrors.withRedirectUri(context));
    }
}
