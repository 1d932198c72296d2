package io.latchkey.oauth.jar;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import jakarta.servlet.Filter;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.stereotype.Component;

import io.latchkey.http.ErrorPages;
import io.latchkey.oauth.ClientPublicKeys;
import io.latchkey.runtime.Issuer;
import tools.jackson.databind.json.JsonMapper;

/**
 * JWT-secured authorization requests (RFC 9101), as the authorization server's filter chain sees them: a filter in
 * front of the authorization endpoint and one in front of the PAR endpoint ({@link RequestObjectFilter}) that
 * verify a {@code request} parameter ({@link RequestObjectVerifier}) and put its parameters in place of the
 * request's, and a check that nothing reaches the endpoints with a request object still in it
 * ({@link #unprocessed}). The chapter {@code docs/par-and-jar.md} describes them.
 */
@Component
public class RequestObjects {

    /** The algorithms a request object may be signed with, as advertised. */
    public static final List<String> SIGNING_ALGORITHMS = RequestObjectVerifier.ALGORITHMS;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RequestObjectVerifier verifier;
    private final RegisteredClientRepository clients;

    RequestObjects(ClientPublicKeys keys, Issuer issuer, RegisteredClientRepository clients, Clock clock) {
        this.verifier = new RequestObjectVerifier(keys, issuer.url(), clock);
        this.clients = clients;
    }

    /**
     * In front of the authorization endpoint; a refusal is the error page, never a redirect: the redirect URI of a
     * request whose request object fails is not one the client vouched for.
     */
    public Filter atAuthorizationEndpoint(AuthorizationServerSettings settings) {
        return new RequestObjectFilter(PathPatternRequestMatcher.withDefaults().matcher(settings.getAuthorizationEndpoint()),
                false, verifier, clients, (request, response, refused) -> ErrorPages.sendOAuthError(request, response,
                        HttpStatus.BAD_REQUEST, refused.code(), refused.getMessage()));
    }

    /** In front of the PAR endpoint, after client authentication; a refusal is a JSON 400. */
    public Filter atPushedAuthorizationEndpoint(AuthorizationServerSettings settings) {
        return new RequestObjectFilter(
                PathPatternRequestMatcher.withDefaults().matcher(settings.getPushedAuthorizationRequestEndpoint()),
                true, verifier, clients, (request, response, refused) -> {
                    response.setStatus(HttpStatus.BAD_REQUEST.value());
                    response.setHeader("Cache-Control", "no-store");
                    response.setContentType("application/json");
                    response.setCharacterEncoding("UTF-8");
                    response.getWriter().write(JSON.writeValueAsString(
                            java.util.Map.of("error", refused.code(), "error_description", refused.getMessage())));
                });
    }

    /**
     * A request that still holds a {@code request} parameter when the endpoint checks it went past the filters
     * (which take it out): refused, never served with the unverified parameters around it.
     */
    public Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> unprocessed() {
        return context -> {
            if (((org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken) context.getAuthentication()).getAdditionalParameters().containsKey("request")) {
                throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
                        RequestObjectRefused.INVALID_REQUEST_OBJECT, "The request object was not verified", null), null);
            }
        };
    }
}
