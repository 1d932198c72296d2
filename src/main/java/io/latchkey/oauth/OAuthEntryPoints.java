package io.latchkey.oauth;

import java.io.IOException;
import java.util.LinkedHashMap;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.util.matcher.RequestMatcher;

import io.latchkey.oauth.device.DeviceGrant;
import io.latchkey.session.SavedRequests;

/**
 * Who is asked to authenticate, and how, when a request to the authorization server has no credentials:
 * a browser at the authorization endpoint goes to the login page, one at the device verification endpoint to the
 * activation page; a client at the token, introspection, revocation or device authorization endpoint gets a 401 {@code invalid_client} JSON error (RFC 6749 section 5.2), never a
 * redirect; anything else a browser is sent to (a consent decision without a session, the logout endpoint
 * with a method it does not take) gets the error page; a caller of userinfo gets a Bearer challenge.
 */
final class OAuthEntryPoints {

    static final String CONSENT_PAGE = "/oauth2/consent";

    private OAuthEntryPoints() {
    }

    static AuthenticationEntryPoint create(AuthorizationServerSettings settings) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher authorizationEndpoint = paths.matcher(HttpMethod.GET, settings.getAuthorizationEndpoint());
        RequestMatcher clientEndpoints = new OrRequestMatcher(paths.matcher(settings.getTokenEndpoint()),
                paths.matcher(settings.getTokenIntrospectionEndpoint()),
                paths.matcher(settings.getTokenRevocationEndpoint()),
                paths.matcher(settings.getDeviceAuthorizationEndpoint()),
                paths.matcher(settings.getPushedAuthorizationRequestEndpoint()));
        // the device flow's verification endpoint is reached from the activation page, which has the user sign in
        RequestMatcher deviceVerification = paths.matcher(settings.getDeviceVerificationEndpoint());
        RequestMatcher browserEndpoints = new OrRequestMatcher(paths.matcher(settings.getAuthorizationEndpoint()),
                paths.matcher("/connect/**"));
        var entryPoints = new LinkedHashMap<RequestMatcher, AuthenticationEntryPoint>();
        entryPoints.put(authorizationEndpoint, new LoginUrlAuthenticationEntryPoint("/login"));
        entryPoints.put(clientEndpoints, OAuthEntryPoints::invalidClient);
        entryPoints.put(deviceVerification, new LoginUrlAuthenticationEntryPoint(DeviceGrant.ACTIVATION_PAGE));
        entryPoints.put(browserEndpoints, (request, response, exception) ->
                response.sendError(HttpStatus.UNAUTHORIZED.value()));
        DelegatingAuthenticationEntryPoint delegating = new DelegatingAuthenticationEntryPoint(entryPoints);
        delegating.setDefaultEntryPoint(new BearerTokenAuthenticationEntryPoint());
        return delegating;
    }

    /**
     * The requests the authorization server's chain answers: its endpoints, and anything else under its
     * paths (a GET on the token endpoint, say), so that those get an OAuth answer and never the login page.
     * The consent page is a hosted page and stays with the hosted pages' chain.
     */
    static RequestMatcher endpointsOf(RequestMatcher endpoints) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher underOAuthPaths = new AndRequestMatcher(
                new OrRequestMatcher(paths.matcher("/oauth2/**"), paths.matcher("/connect/**"), paths.matcher("/userinfo")),
                new NegatedRequestMatcher(paths.matcher(CONSENT_PAGE)),
                // dynamic client registration is an entrance with a filter chain of its own
                new NegatedRequestMatcher(paths.matcher(RegistrationEndpointAddress.PATH)),
                new NegatedRequestMatcher(paths.matcher(RegistrationEndpointAddress.PATH + "/**")));
        return new OrRequestMatcher(endpoints, underOAuthPaths);
    }

    /** Bearer tokens authenticate at userinfo only; elsewhere an Authorization header is a client's business. */
    static BearerTokenResolver bearerTokenOnlyAtUserInfo(AuthorizationServerSettings settings) {
        RequestMatcher userInfo = PathPatternRequestMatcher.withDefaults().matcher(settings.getOidcUserInfoEndpoint());
        DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
        return request -> userInfo.matches(request) ? resolver.resolve(request) : null;
    }

    /**
     * Only an authorization request is worth resuming after login. It is saved in a cookie, not a session: an
     * anonymous visitor costs no session row, and the instance the browser comes back to finds it.
     */
    static RequestCache authorizationRequestCache(AuthorizationServerSettings settings, SavedRequests saved) {
        return saved.inCookie(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET,
                settings.getAuthorizationEndpoint()));
    }

    private static void invalidClient(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response,
            org.springframework.security.core.AuthenticationException exception) throws IOException {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader("WWW-Authenticate", "Basic realm=\"latchkey\"");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication is required\"}");
    }
}
