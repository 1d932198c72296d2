package io.latchkey.session;

import java.util.Arrays;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

import io.latchkey.runtime.ProductionCookies;

/**
 * Spring's {@link CookieRequestCache} under a cookie name and flags of Latchkey's choosing: Spring's cookie is always
 * {@code REDIRECT_URI}, Secure only over HTTPS, while production wants every cookie {@code __Host-} prefixed and
 * Secure ({@link ProductionCookies}). The parsing and checks stay Spring's; only the cookie's name and flags change
 * on the way in and out.
 */
final class SavedRequestCookie implements RequestCache {

    private static final String SPRING_NAME = "REDIRECT_URI";

    private final CookieRequestCache delegate;
    private final ProductionCookies cookies;
    private final String name;

    SavedRequestCookie(CookieRequestCache delegate, ProductionCookies cookies) {
        this.delegate = delegate;
        this.cookies = cookies;
        this.name = cookies.name("latchkey-return-to");
    }

    @Override
    public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
        delegate.saveRequest(incoming(request), outgoing(response));
    }

    @Override
    public SavedRequest getRequest(HttpServletRequest request, HttpServletResponse response) {
        return delegate.getRequest(incoming(request), outgoing(response));
    }

    @Override
    public HttpServletRequest getMatchingRequest(HttpServletRequest request, HttpServletResponse response) {
        return delegate.getMatchingRequest(incoming(request), outgoing(response));
    }

    @Override
    public void removeRequest(HttpServletRequest request, HttpServletResponse response) {
        delegate.removeRequest(incoming(request), outgoing(response));
    }

    /** The request as Spring expects it: our cookie under Spring's name, and a cookie sent under Spring's own name ignored. */
    private HttpServletRequest incoming(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public Cookie[] getCookies() {
                Cookie[] sent = super.getCookies();
                if (sent == null) {
                    return null;
                }
                return Arrays.stream(sent)
                        .filter(cookie -> !SPRING_NAME.equals(cookie.getName()))
                        .map(cookie -> name.equals(cookie.getName()) ? renamed(cookie, SPRING_NAME) : cookie)
                        .toArray(Cookie[]::new);
            }
        };
    }

    private HttpServletResponse outgoing(HttpServletResponse response) {
        return new HttpServletResponseWrapper(response) {
            @Override
            public void addCookie(Cookie cookie) {
                if (!SPRING_NAME.equals(cookie.getName())) {
                    super.addCookie(cookie);
                    return;
                }
                Cookie ours = renamed(cookie, name);
                ours.setPath("/");
                ours.setHttpOnly(true);
                ours.setSecure(cookies.secure(cookie.getSecure()));
                ours.setAttribute("SameSite", "Lax");
                super.addCookie(ours);
            }
        };
    }

    private static Cookie renamed(Cookie cookie, String newName) {
        Cookie renamed = new Cookie(newName, cookie.getValue());
        renamed.setMaxAge(cookie.getMaxAge());
        renamed.setPath(cookie.getPath());
        renamed.setHttpOnly(cookie.isHttpOnly());
        renamed.setSecure(cookie.getSecure());
        return renamed;
    }
}
