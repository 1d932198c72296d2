package io.latchkey.oauth.password;

import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The resource owner password grant (RFC 6749 section 4.3), as the rest of {@code io.latchkey.oauth} sees it:
 * how a token request is read ({@link PasswordGrantRequestConverter}), the request itself
 * ({@link PasswordGrantAuthenticationToken}) and the rules that answer it ({@link PasswordGrantAuthenticationProvider}).
 * The token endpoint and the first-party API use the same three.
 */
public final class PasswordGrant {

    private PasswordGrant() {
    }

    /** Reads {@code grant_type=password} requests at the token endpoint. */
    public static AuthenticationConverter requestConverter() {
        return new PasswordGrantRequestConverter();
    }

    /** Answers password grant requests; {@code passwordSignIn} checks the user's email and password. */
    public static AuthenticationProvider provider(AuthenticationProvider passwordSignIn,
            OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<? extends OAuth2Token> tokens,
            ApplicationEventPublisher events) {
        return new PasswordGrantAuthenticationProvider(passwordSignIn, authorizations, tokens, events);
    }

    /** A password grant request made by {@code client} from {@code clientIp}, not through the token endpoint. */
    public static Authentication request(String username, String password, Set<String> scopes, Authentication client,
            String clientIp) {
        PasswordGrantAuthenticationToken request = new PasswordGrantAuthenticationToken(username, password, scopes,
                client, Map.of());
        request.setDetails(new WebAuthenticationDetails(clientIp, null));
        return request;
    }
}
