package io.latchkey.pages;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import io.latchkey.http.ApplicationWayBack;
import io.latchkey.session.SavedRequests;

/**
 * The error page's way back to the application a failed request came from: the registered client named by the
 * request's {@code client_id} (authorization, consent, logout), or by the authorization request waiting for a
 * sign-in. The link goes to the site of the client's first registered redirect URI (scheme, host and port only),
 * never to a URI the request itself carried, so an unregistered redirect URI is never linked to.
 */
@Component
class ApplicationOfTheFailedRequest implements ApplicationWayBack {

    private static final int MAX_CLIENT_ID = 100;

    private final RegisteredClientRepository clients;
    private final RequestCache authorizationRequests;

    ApplicationOfTheFailedRequest(RegisteredClientRepository clients, SavedRequests saved) {
        this.clients = clients;
        this.authorizationRequests = saved.ofPages();
    }

    @Override
    public Optional<Link> of(HttpServletRequest failedRequest, HttpServletResponse response) {
        return clientId(failedRequest, response).filter(id -> id.length() <= MAX_CLIENT_ID)
                .map(clients::findByClientId)
                .flatMap(ApplicationOfTheFailedRequest::linkTo);
    }

    private Optional<String> clientId(HttpServletRequest request, HttpServletResponse response) {
        String named = request.getParameter("client_id");
        if (named != null) {
            return Optional.of(named);
        }
        // a request saved in a cookie keeps its parameters in its URL only
        SavedRequest saved = authorizationRequests.getRequest(request, response);
        if (saved == null) {
            return Optional.empty();
        }
        String clientId = UriComponentsBuilder.fromUriString(saved.getRedirectUrl()).build().getQueryParams()
                .getFirst("client_id");
        return Optional.ofNullable(clientId).map(id -> UriUtils.decode(id, StandardCharsets.UTF_8));
    }

    private static Optional<Link> linkTo(RegisteredClient client) {
        return client.getRedirectUris().stream().findFirst().map(URI::create)
                .filter(uri -> "https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                .filter(uri -> uri.getHost() != null)
                .map(uri -> new Link(uri.getScheme() + "://" + uri.getRawAuthority() + "/", client.getClientName()));
    }
}
