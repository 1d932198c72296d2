package io.latchkey.oauth;

import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.util.Base64;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import io.latchkey.tokens.TokenActivity;

/**
 * Counts the token endpoint's refusals for the admin dashboard ({@link TokenActivity}), by client and error code.
 * The client is the one the server authenticated, or else the one the request names if it is registered; any other
 * id a request claims is counted as unknown, so that what a stranger sends never becomes a row of its own.
 */
final class TokenRefusals {

    /** Longer than any registered client id: not looked up. */
    private static final int MAX_CLIENT_ID = 100;

    private final TokenActivity activity;
    private final RegisteredClientRepository clients;
    private final String tokenEndpoint;

    TokenRefusals(TokenActivity activity, RegisteredClientRepository clients, String tokenEndpoint) {
        this.activity = activity;
        this.clients = clients;
        this.tokenEndpoint = tokenEndpoint;
    }

    /**
     * Counts the refusal if the request went to the token endpoint (client authentication also serves others). Never
     * fails: the error answer must go out even when the client cannot be looked up (the database is down).
     */
    void count(HttpServletRequest request, String errorCode) {
        if (!tokenEndpoint.equals(request.getRequestURI().substring(request.getContextPath().length()))) {
            return;
        }
        String client;
        try {
            client = clientOf(request);
        }
        catch (RuntimeException lookupFailed) {
            client = null;
        }
        activity.refused(client, errorCode);
    }

    private String clientOf(HttpServletRequest request) {
        Authentication authenticated = SecurityContextHolder.getContext().getAuthentication();
        if (authenticated instanceof OAuth2ClientAuthenticationToken client && client.getRegisteredClient() != null) {
            return client.getRegisteredClient().getClientId();
        }
        String claimed = claimedClientId(request);
        if (claimed == null || claimed.isEmpty() || claimed.length() > MAX_CLIENT_ID) {
            return null;
        }
        RegisteredClient registered = clients.findByClientId(claimed);
        return registered == null ? null : registered.getClientId();
    }

    /** The client id of HTTP Basic authentication, or else the {@code client_id} parameter; null when neither. */
    private static String claimedClientId(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException malformed) {
                return null;
            }
        }
        String[] values = request.getParameterValues("client_id");
        return values != null && values.length == 1 ? values[0] : null;
    }
}
