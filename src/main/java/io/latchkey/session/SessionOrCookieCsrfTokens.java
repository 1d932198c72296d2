package io.latchkey.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

import io.latchkey.runtime.ProductionCookies;

/**
 * CSRF tokens of the hosted pages. A browser with a session keeps its token in the session (shared by every
 * instance). A browser without one (the login, registration and reset forms) gets it in an HttpOnly cookie
 * (double-submit), so showing those forms creates no session row. After sign-in the cookie is cleared and the
 * next token lives in the new session.
 */
public final class SessionOrCookieCsrfTokens implements CsrfTokenRepository {

    /** The cookie that carries the token of a browser without a session. */
    public static final String COOKIE_NAME = "latchkey-csrf";

    private static final String HEADER_NAME = "X-CSRF-TOKEN";
    private static final String PARAMETER_NAME = "_csrf";

    private final HttpSessionCsrfTokenRepository sessions = new HttpSessionCsrfTokenRepository();
    private final CookieCsrfTokenRepository cookies = new CookieCsrfTokenRepository();

    public SessionOrCookieCsrfTokens(ProductionCookies production) {
        cookies.setCookieName(production.name(COOKIE_NAME));
        boolean alwaysSecure = production.secure(false);
        cookies.setCookieCustomizer(cookie -> {
            cookie.path("/").sameSite("Lax");
            if (alwaysSecure) {
                cookie.secure(true); // otherwise Secure over HTTPS, as Spring sets it
            }
        });
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return sessions.generateToken(request);
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) != null) {
            sessions.saveToken(token, request, response);
            if (token == null && cookieToken(request) != null) {
                cookies.saveToken(null, request, response);
            }
        }
        else {
            cookies.saveToken(token, request, response);
        }
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        if (request.getSession(false) != null) {
            CsrfToken token = sessions.loadToken(request);
            if (token != null) {
                return token;
            }
        }
        // a form shown before the session began (a failed sign-in can begin one) still carries the cookie's token
        return cookieToken(request);
    }

    private CsrfToken cookieToken(HttpServletRequest request) {
        CsrfToken token = cookies.loadToken(request);
        return token == null ? null : new DefaultCsrfToken(HEADER_NAME, PARAMETER_NAME, token.getToken());
    }
}
