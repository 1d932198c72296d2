package io.latchkey.oauth.authorize;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * The authorization server checks PKCE and the {@code prompt} syntax after the validator. A request those
 * checks reject must get their error ({@code invalid_request}), not a session-state answer: the checks this
 * wraps do not run for it.
 */
final class PkceAndPromptSyntaxFirst implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final List<Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext>> checks;

    PkceAndPromptSyntaxFirst(List<Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext>> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (!failsLaterChecks(context)) {
            checks.forEach(check -> check.accept(context));
        }
    }

    private static boolean failsLaterChecks(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Map<String, Object> parameters = request.getAdditionalParameters();
        Object challenge = parameters.get(PkceParameterNames.CODE_CHALLENGE);
        Object method = parameters.get(PkceParameterNames.CODE_CHALLENGE_METHOD);
        boolean pkceMissing = context.getRegisteredClient().getClientSettings().isRequireProofKey()
                && (challenge == null || challenge.toString().isBlank());
        boolean pkceMethodWrong = method != null && !"S256".equals(method);
        return pkceMissing || pkceMethodWrong || Prompt.of(request).noneWithOthers();
    }
}
