package io.latchkey.oauth;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request to the OpenID Connect logout endpoint that names no application and no place to return to (no
 * {@code id_token_hint}, no {@code post_logout_redirect_uri}), as a user typing the address sends it: there is
 * nothing to check, so it is not an error. It goes to the hosted sign-out page, which asks a signed-in user to
 * confirm (RP-Initiated Logout 1.0 section 2) and tells anyone else that they are signed out. A request naming an
 * application is the framework's to check and answer, as before.
 */
final class LogoutWithoutAnApplication extends OncePerRequestFilter {

    /** The hosted sign-out page (io.latchkey.pages). */
    static final String SIGN_OUT_PAGE = "/sign-out";

    private final RequestMatcher logoutEndpoint;

    LogoutWithoutAnApplication(AuthorizationServerSettings settings) {
        this.logoutEndpoint = PathPatternRequestMatcher.withDefaults().matcher(settings.getOidcLogoutEndpoint());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (logoutEndpoint.matches(request) && request.getParameter("id_token_hint") == null
                && request.getParameter("post_logout_redirect_uri") == null) {
            response.sendRedirect(request.getContextPath() + SIGN_OUT_PAGE);
            return;
        }
        chain.doFilter(request, response);
    }
}
