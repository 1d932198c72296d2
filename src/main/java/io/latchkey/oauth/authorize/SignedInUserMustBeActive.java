package io.latchkey.oauth.authorize;

import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.latchkey.account.UserDirectory;

/**
 * The authorization endpoint issues codes only for a user who still exists and is enabled. A session whose user
 * was deleted or disabled ends here (every instance also deleted it when that happened; this holds even if a
 * session outlived it), and the browser is asked to sign in again, or the client gets {@code login_required}
 * for {@code prompt=none}.
 */
final class SignedInUserMustBeActive implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final UserDirectory users;

    SignedInUserMustBeActive(UserDirectory users) {
        this.users = users;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        if (!(request.getPrincipal() instanceof Authentication principal) || !principal.isAuthenticated()
                || principal instanceof AnonymousAuthenticationToken) {
            return;
        }
        boolean active = users.findBySubject(principal.getName()).filter(user -> user.enabled()).isPresent();
        if (active) {
            return;
        }
        endSession();
        Object prompt = request.getAdditionalParameters().get("prompt");
        if (prompt instanceof String value && value.contains("none") && request.getRedirectUri() != null) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error("login_required", "The user is not signed in", null), request);
        }
        throw new ReauthenticationRequiredException(request);
    }

    private static void endSession() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest servletRequest = attributes.getRequest();
            HttpSession session = servletRequest.getSession(false);
            if (session != null) {
                session.invalidate();
            }
        }
        SecurityContextHolder.clearContext();
    }
}
