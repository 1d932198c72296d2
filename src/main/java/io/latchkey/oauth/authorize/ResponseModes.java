package io.latchkey.oauth.authorize;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * {@code response_mode} (OAuth 2.0 Multiple Response Type Encoding Practices, section 2.1; OAuth 2.0 Form Post
 * Response Mode): {@code query}, the default of the code flow, and {@code form_post} ({@link FormPostResponse}).
 * {@code fragment} is refused: a code in a fragment gains the client nothing over the query and is left in the
 * browser's history by script-less clients; any other mode is unknown. Both are {@code invalid_request}, answered
 * in the default mode (the query), since the mode asked for is the one in question.
 */
final class ResponseModes implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    static final String PARAMETER = "response_mode";
    static final String QUERY = "query";
    static final String FORM_POST = "form_post";
    private static final Set<String> SUPPORTED = Set.of(QUERY, FORM_POST);

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        Object mode = parameters(context).get(PARAMETER);
        if (mode != null && !SUPPORTED.contains(mode)) {
            throw AuthorizationRequestErrors.error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "OAuth 2.0 Parameter: response_mode (query or form_post)", context);
        }
    }

    /**
     * Whether the answer to this request goes as a form post: the authorization request asked for it, or the
     * consent form it led to carries it on ({@code consent.html}), since the framework forgets the mode between
     * the request and the consent.
     */
    static boolean formPost(HttpServletRequest request) {
        return FORM_POST.equals(request.getParameter(PARAMETER));
    }

    private static Map<String, Object> parameters(
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        return request.getAdditionalParameters();
    }
}
