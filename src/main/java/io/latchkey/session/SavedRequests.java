package io.latchkey.session;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

import io.latchkey.runtime.ProductionCookies;

/**
 * Where a browser goes back to after signing in (the saved request): a cookie, not the session. An anonymous
 * visitor sent to the login page so costs no session row, and any instance can send them back.
 */
@Component
public class SavedRequests {

    private final ProductionCookies cookies;

    SavedRequests(ProductionCookies cookies) {
        this.cookies = cookies;
    }

    /**
     * The longest path and query saved. The cookie holds them in base64 (a third longer); browsers drop cookies
     * over 4 KB and a longer Set-Cookie could overflow the response headers. A longer request is not resumed:
     * after sign-in the browser goes to the start page.
     */
    static final int MAX_SAVED_URL_LENGTH = 2048;

    /** Saves GET requests the matcher accepts, in an HttpOnly cookie ({@link SavedRequestCookie}). */
    public RequestCache inCookie(RequestMatcher worthResuming) {
        CookieRequestCache cache = new CookieRequestCache();
        cache.setRequestMatcher(new AndRequestMatcher(worthResuming, request -> {
            String query = request.getQueryString();
            return request.getRequestURI().length() + (query == null ? 0 : query.length() + 1) <= MAX_SAVED_URL_LENGTH;
        }));
        return new SavedRequestCookie(cache, cookies);
    }

    /** Pages worth coming back to after sign-in: GETs, except static files and the error page. */
    public RequestCache ofPages() {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return inCookie(new AndRequestMatcher(paths.matcher(HttpMethod.GET, "/**"),
                new NegatedRequestMatcher(new OrRequestMatcher(paths.matcher("/static/**"), paths.matcher("/error"),
                        paths.matcher("/favicon.ico"), paths.matcher("/.well-known/**")))));
    }
}
