package io.latchkey.oauth.authorize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * OpenID Connect Core 3.1.2.1: {@code prompt=login} always asks to sign in again, and {@code max_age} asks to
 * sign in again when the last sign-in is older ({@code max_age=0}: every time). A sign-in made after the request
 * was sent to the login page satisfies it ({@link PendingReauthentication}). With {@code prompt=none} the client
 * gets {@code login_required} instead of a login page.
 */
final class SessionFreshness implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final Clock clock;
    private final PendingReauthentication pending;

    SessionFreshness(Clock clock, PendingReauthentication pending) {
        this.clock = clock;
        this.pending = pending;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Prompt prompt = Prompt.of(request);
        Duration maxAge = MaxAge.of(context);
        if (!prompt.login() && maxAge == null) {
            return;
        }
        if (!AuthenticationTime.isSignedIn(request.getPrincipal())) {
            // The login the entry point is about to show is the fresh one this request asks for.
            pending.remember(clock.instant().minusSeconds(1));
            return;
        }
        Instant authenticatedAt = AuthenticationTime.of((Authentication) request.getPrincipal());
        boolean recentEnough = maxAge != null && !prompt.login()
                && authenticatedAt != null && !authenticatedAt.plus(maxAge).isBefore(clock.instant())
                && maxAge.compareTo(Duration.ZERO) > 0;
        if (recentEnough || pending.satisfiedBy(authenticatedAt)) {
            return;
        }
        if (prompt.none()) {
            throw AuthorizationRequestErrors.error("login_required", "The sign-in is older than the request allows",
                    context);
        }
        pending.remember(clock.instant());
        throw new ReauthenticationRequiredException(AuthorizationRequestErrors.withRedirectUri(context));
    }
}
