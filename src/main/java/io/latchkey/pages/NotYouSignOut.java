package io.latchkey.pages;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;

/**
 * Where signing out leads. "Not you?" on the login and consent pages signs out and goes back into the same flow
 * (the authorization request, or the sign-in page), named by the form's {@value #CONTINUE} parameter; only a path of
 * this server's own authorization endpoint or sign-in page is followed, so the parameter cannot send anyone
 * elsewhere. Every other sign-out ends on the sign-in page saying so.
 */
final class NotYouSignOut implements LogoutSuccessHandler {

    static final String CONTINUE = "continue";
    static final String SIGNED_OUT = "/login?logout";
    private static final Pattern FLOW = Pattern.compile("/(oauth2/authorize|login)(\\?[^\\s\\\\#]{0,4000})?");

    @Override
    public void onLogoutSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        String next = request.getParameter(CONTINUE);
        response.sendRedirect(request.getContextPath() + (isFlow(next) ? next : SIGNED_OUT));
    }

    static boolean isFlow(String path) {
        return path != null && FLOW.matcher(path).matches();
    }
}
