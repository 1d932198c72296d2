package io.latchkey.oauth.authorize;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.context.MessageSource;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.servlet.LocaleResolver;

import io.latchkey.account.Passkeys;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.UserDirectory;
import io.latchkey.oauth.SubjectIdentifiers;
import io.latchkey.runtime.ProductionCookies;

/**
 * The checks of the authorization endpoint, in the order they run; the first that refuses a request answers it.
 * Each is a class named after its rule. After them the framework checks PKCE and {@code prompt} syntax itself,
 * then {@link AdminScopeConsentRule} and {@link RequestedClaimsConsentRule} decide whether the consent page is
 * shown. {@link AuthorizationResponder} sends the answer, in the query or as a form post ({@link ResponseModes}).
 * The hints and the {@code claims} parameter are described in {@code docs/authorization-requests.md}.
 */
public final class AuthorizationRequestChecks {

    private final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> requestChecks;
    private final List<Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext>> checks;
    private final PendingReauthentication pendingReauthentication;
    private final FormPostResponse formPost;

    /**
     * What the checks of hints and response modes need: Latchkey's keys and issuer (to verify an
     * {@code id_token_hint}), the subjects clients see, and the texts of the form post page in the user's language.
     */
    public record Hints(JWKSource<SecurityContext> keys, String issuer, SubjectIdentifiers subjects,
            MessageSource messages, LocaleResolver locales) {
    }

    /**
     * @param resources the check of the request's {@code resource} parameters (RFC 8707), which answers at the
     *        redirect URI once that is verified
     */
    public AuthorizationRequestChecks(UserDirectory users, Clock clock, ProductionCookies cookies,
            SecondFactor secondFactor, Passkeys passkeys, Hints hints,
            Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> resources) {
        this.pendingReauthentication = new PendingReauthentication(cookies);
        this.formPost = new FormPostResponse(hints.messages(), hints.locales());
        StepUp stepUp = new StepUp(users, secondFactor, passkeys);
        IdTokenHint idTokenHint = new IdTokenHint(hints.keys(), hints.issuer());
        // redirect_uri (on loopback any port) and scope, with the framework's validator; then the resources asked
        // for (RFC 8707), which a pushed request names too
        this.requestChecks = new LoopbackRedirectUris(new OAuth2AuthorizationCodeRequestAuthenticationValidator())
                .andThen(resources);
        this.checks = List.of(
                new SignedInUserMustBeActive(users),
                new PkceAndPromptSyntaxFirst(List.of(
                        new MaxAge(),
                        idTokenHint.mustBeValid(),
                        new ClaimsParameter(),
                        new PromptNone(),
                        new SessionFreshness(clock, pendingReauthentication),
                        new IdTokenHintNamesTheUser(idTokenHint, hints.subjects(), clock, pendingReauthentication),
                        // after the sign-in is fresh enough: is it strong enough?
                        new ClientRequiresMfa(stepUp),
                        new AcrValues(stepUp))));
    }

    /** Puts the checks and the consent rule into the framework's handling of authorization requests. */
    public void applyTo(OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
        applyTo(codeRequests, context -> { });
    }

    /**
     * As {@link #applyTo(OAuth2AuthorizationCodeRequestAuthenticationProvider)}, with {@code clientRules} (rules of
     * the client's settings, such as pushed requests being required) run once the redirect URI is verified and the
     * response mode known, so their errors can go back to it, and before anything about the signed-in user.
     */
    public void applyTo(OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests,
            Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> clientRules) {
        // once the redirect URI is known good: how to answer there
        codeRequests.setAuthenticationValidator(
                requestChecks.andThen(new ResponseModes()).andThen(clientRules).andThen(validator()));
        codeRequests.setAuthorizationConsentRequired(
                new AdminScopeConsentRule().or(new RequestedClaimsConsentRule()));
    }

    /**
     * The checks of the request alone (redirect URI, scope), without a signed-in user: a pushed authorization
     * request (RFC 9126) is checked with these when it is pushed, and with all of them when it is used.
     */
    public Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> requestChecks() {
        return requestChecks;
    }

    /** Answers the authorization endpoint; {@code requestCache} keeps a request while its user signs in again. */
    public AuthorizationResponder responder(String issuer, RequestCache requestCache) {
        return new AuthorizationResponder(issuer, requestCache, pendingReauthentication, formPost);
    }

    private Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator() {
        return checks.stream().reduce(Consumer::andThen).orElseThrow();
    }
}
