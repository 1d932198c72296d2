package io.latchkey.oauth.authorize;

import java.util.function.Consumer;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

import io.latchkey.account.AuthenticationLevel;
import io.latchkey.client.ClientPolicies;

/**
 * A client declared with {@code require-mfa: true} gets codes only for a session with a second factor or a passkey
 * ({@link AuthenticationLevel#MFA} or better). A user who has one adds it on the code page; a user who has none
 * enrols first. Then the request continues. With {@code prompt=none} the client gets {@code interaction_required}.
 * A request that comes back from the code page still without the factor is refused with {@code access_denied}
 * rather than sent round again.
 */
final class ClientRequiresMfa implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final StepUp stepUp;

    ClientRequiresMfa(StepUp stepUp) {
        this.stepUp = stepUp;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        Authentication signIn = StepUp.signedIn(context);
        if (signIn == null || !ClientPolicies.requiresMfa(context.getRegisteredClient())
                || StepUp.satisfies(signIn, AuthenticationLevel.MFA)) {
            return;
        }
        String page = stepUp.canReach(signIn, AuthenticationLevel.MFA) ? StepUpRequiredException.SECOND_FACTOR_PAGE
                : StepUpRequiredException.ENROLMENT_PAGE;
        if (PendingStepUp.alreadySentTo(page) && page.equals(StepUpRequiredException.SECOND_FACTOR_PAGE)) {
            throw AuthorizationRequestErrors.error(OAuth2ErrorCodes.ACCESS_DENIED,
                    "The application needs a sign-in with a second factor", context);
        }
        throw StepUp.or(page, "The application needs a sign-in with a second factor", context);
    }
}
