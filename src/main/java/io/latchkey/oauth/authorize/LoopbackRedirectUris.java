package io.latchkey.oauth.authorize;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The redirect URI of an authorization request must be one the client registered, character for character,
 * with one exception (RFC 8252 section 7.3): on the loopback interface ({@code http://127.0.0.1},
 * {@code http://[::1]}, {@code http://localhost}) any port is accepted, because a native app listens on
 * whatever port the system gives it. Everything else (scheme, host, path, query) must still match. Any other
 * redirect URI is refused on an error page, never redirected to.
 *
 * <p>A request that matches a registered loopback URI on another port is checked by the framework's
 * validator as if it had named the registered URI; the code still goes to the port that was asked for.
 */
final class LoopbackRedirectUris implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");

    private final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator;

    LoopbackRedirectUris(Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator) {
        this.validator = validator;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        String requested = request.getRedirectUri();
        if (!StringUtils.hasText(requested) || client.getRedirectUris().contains(requested)) {
            validator.accept(context);
            return;
        }
        String registered = registeredOnAnotherPort(requested, client.getRedirectUris());
        if (registered == null) {
            throw unregistered(request);
        }
        validator.accept(OAuth2AuthorizationCodeRequestAuthenticationContext.with(withRedirectUri(request, registered))
                .registeredClient(client)
                .build());
    }

    /** The registered loopback URI that differs from the requested one in its port alone, or null. */
    private static String registeredOnAnotherPort(String requested, Set<String> registeredUris) {
        UriComponents requestedUri;
        try {
            requestedUri = UriComponentsBuilder.fromUriString(requested).build();
        }
        catch (IllegalArgumentException notAUri) {
            return null;
        }
        if (!"http".equals(requestedUri.getScheme()) || requestedUri.getHost() == null
                || !LOOPBACK_HOSTS.contains(requestedUri.getHost().toLowerCase(Locale.ROOT))) {
            return null;
        }
        String asRequested = requestedUri.toUriString();
        for (String registered : registeredUris) {
            if (UriComponentsBuilder.fromUriString(registered).port(requestedUri.getPort()).build().toUriString()
                    .equals(asRequested)) {
                return registered;
            }
        }
        return null;
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationToken withRedirectUri(
            OAuth2AuthorizationCodeRequestAuthenticationToken request, String redirectUri) {
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(), request.getClientId(),
                (Authentication) request.getPrincipal(), redirectUri, request.getState(), request.getScopes(),
                request.getAdditionalParameters());
    }

    /** As the framework refuses an unregistered redirect URI: without one in the answer, so nothing redirects there. */
    private static OAuth2AuthorizationCodeRequestAuthenticationException unregistered(
            OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: redirect_uri", null),
                withRedirectUri(request, null));
    }
}
