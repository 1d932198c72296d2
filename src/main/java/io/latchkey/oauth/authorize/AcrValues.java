package io.latchkey.oauth.authorize;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

import io.latchkey.account.AuthenticationLevel;

/**
 * {@code acr_values} (OpenID Connect Core 3.1.2.1) asks, voluntarily, for a sign-in of one of the listed levels
 * ({@link AuthenticationLevel}); values Latchkey does not know are ignored. A session at any listed level (or a
 * stronger one) is enough. Otherwise, when the user could reach the weakest listed level with a factor they have, the
 * request goes to the code page first ({@code interaction_required} with {@code prompt=none}). When they could not,
 * or the code page did not get there, the request goes on and the token's {@code acr} says what the sign-in was.
 * An {@code acr} asked for in the {@code claims} parameter ({@link ClaimsRequest}) counts the same, even with
 * {@code essential: true}: Latchkey steps up when it can and otherwise says in {@code acr} what the sign-in was.
 */
final class AcrValues implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final StepUp stepUp;

    AcrValues(StepUp stepUp) {
        this.stepUp = stepUp;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        Authentication signIn = StepUp.signedIn(context);
        if (signIn == null) {
            return;
        }
        Optional<AuthenticationLevel> requested = weakestRequested(context);
        if (requested.isEmpty() || StepUp.satisfies(signIn, requested.get())
                || !stepUp.canReach(signIn, requested.get())
                || PendingStepUp.alreadySentTo(StepUpRequiredException.SECOND_FACTOR_PAGE)) {
            return;
        }
        throw StepUp.or(StepUpRequiredException.SECOND_FACTOR_PAGE,
                "The requested authentication context needs another factor", context);
    }

    /** The weakest level the request lists: any listed level satisfies it. */
    static Optional<AuthenticationLevel> weakestRequested(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Object values = request.getAdditionalParameters().get("acr_values");
        Stream<String> listed;
        if (values instanceof String list && !list.isBlank()) {
            listed = Arrays.stream(list.trim().split(" +"));
        }
        else {
            // the claims parameter's acr (OpenID Connect Core 5.5.1.1) asks the same, when acr_values does not
            listed = ClaimsRequest.ofParameters(request.getAdditionalParameters()).acrValues().stream();
        }
        return listed
                .map(AuthenticationLevel::ofAcr)
                .flatMap(Optional::stream)
                .min(Comparator.naturalOrder());
    }
}
