package io.latchkey.oauth.authorize;

import java.time.Clock;
import java.util.function.Consumer;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

import io.latchkey.oauth.SubjectIdentifiers;

/**
 * The user an {@code id_token_hint} names must be the one signed in (OpenID Connect Core 3.1.2.1): its {@code sub}
 * is compared with the subject the signed-in user has for this client ({@link SubjectIdentifiers}, pairwise or
 * not). Someone else signed in is asked to sign in again, as with {@code prompt=login}; if the sign-in this
 * request led to ({@link PendingReauthentication}) is still not the hinted user, or the client said
 * {@code prompt=none}, the client gets {@code login_required}. Without a session the login page comes first and
 * the sign-in there is checked the same way.
 */
final class IdTokenHintNamesTheUser implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final IdTokenHint hint;
    private final SubjectIdentifiers subjects;
    private final Clock clock;
    private final PendingReauthentication pending;

    IdTokenHintNamesTheUser(IdTokenHint hint, SubjectIdentifiers subjects, Clock clock,
            PendingReauthentication pending) {
        this.hint = hint;
        this.subjects = subjects;
        this.clock = clock;
        this.pending = pending;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        String hinted = hint.subject(context);
        if (hinted == null) {
            return;
        }
        Authentication signIn = StepUp.signedIn(context);
        if (signIn == null) {
            // the login page about to be shown is the sign-in this request waits for
            pending.remember(clock.instant().minusSeconds(1));
            return;
        }
        if (hinted.equals(subjects.forClient(context.getRegisteredClient(), signIn.getName()))) {
            return;
        }
        if (Prompt.of(context.getAuthentication()).none()
                || pending.satisfiedBy(AuthenticationTime.of(signIn))) {
            throw AuthorizationRequestErrors.error("login_required",
                    "The signed-in user is not the one the ID token hint names", context);
        }
        pending.remember(clock.instant());
        throw new ReauthenticationRequiredException(AuthorizationRequestErrors.withRedirectUri(context));
    }
}
