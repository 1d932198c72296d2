package io.latchkey.oauth.authorize;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.web.savedrequest.RequestCache;

import io.latchkey.account.Passkeys;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.UserDirectory;
import io.latchkey.runtime.ProductionCookies;

/**
 * The checks of the authorization endpoint, in the order they run; the first that refuses a request answers it.
 * Each is a class named after its rule. After them the framework checks PKCE and {@code prompt} syntax itself,
 * then {@link AdminScopeConsentRule} decides whether the consent page is shown. {@link AuthorizationResponder}
 * sends the answer.
 */
public final class AuthorizationRequestChecks {

    private final List<Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext>> checks;
    private final PendingReauthentication pendingReauthentication;

    /**
     * @param resources the check of the request's {@code resource} parameters (RFC 8707), which answers at the
     *        redirect URI once that is verified
     */
    public AuthorizationRequestChecks(UserDirectory users, Clock clock, ProductionCookies cookies,
            SecondFactor secondFactor, Passkeys passkeys,
            Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> resources) {
        this.pendingReauthentication = new PendingReauthentication(cookies);
        StepUp stepUp = new StepUp(users, secondFactor, passkeys);
        this.checks = List.of(
                // redirect_uri (on loopback any port) and scope, with the framework's validator
                new LoopbackRedirectUris(new OAuth2AuthorizationCodeRequestAuthenticationValidator()),
                resources,
                new SignedInUserMustBeActive(users),
                new PkceAndPromptSyntaxFirst(List.of(
                        new MaxAge(),
                        new PromptNone(),
                        new SessionFreshness(clock, pendingReauthentication),
                        // after the sign-in is fresh enough: is it strong enough?
                        new ClientRequiresMfa(stepUp),
                        new AcrValues(stepUp))));
    }

    /** Puts the checks and the consent rule into the framework's handling of authorization requests. */
    public void applyTo(OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
        codeRequests.setAuthenticationValidator(validator());
        codeRequests.setAuthorizationConsentRequired(new AdminScopeConsentRule());
    }

    /** Answers the authorization endpoint; {@code requestCache} keeps a request while its user signs in again. */
    public AuthorizationResponder responder(String issuer, RequestCache requestCache) {
        return new AuthorizationResponder(issuer, requestCache, pendingReauthentication);
    }

    private Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator() {
        return checks.stream().reduce(Consumer::andThen).orElseThrow();
    }
}
