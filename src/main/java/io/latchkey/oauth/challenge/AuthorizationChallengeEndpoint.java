package io.latchkey.oauth.challenge;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /oauth2/authorize-challenge}: reads the request ({@link ChallengeRequest}), authenticates the client
 * ({@link ChallengeClients}), takes the step the request asks for ({@link ChallengeSteps}) and answers in JSON: 200
 * with {@code authorization_code}, or an error of the draft (section 5.2.2) with {@code Cache-Control: no-store}.
 * It sits in the authorization server's filter chain, ahead of its CSRF and session handling, and answers every
 * request to its path itself.
 */
final class AuthorizationChallengeEndpoint extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RequestMatcher path = PathPatternRequestMatcher.withDefaults().matcher(AuthorizationChallenge.PATH);
    private final ChallengeClients clients;
    private final ChallengeSteps steps;

    AuthorizationChallengeEndpoint(ChallengeClients clients, ChallengeSteps steps) {
        this.clients = clients;
        this.steps = steps;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!path.matches(request)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            ChallengeRequest parameters = ChallengeRequest.read(request);
            RegisteredClient client = clients.authenticate(request, parameters);
            String clientIp = request.getRemoteAddr();
            String code = parameters.continuesSession() ? steps.proceed(client, parameters, clientIp)
                    : steps.start(client, parameters, clientIp);
            write(response, HttpServletResponse.SC_OK, Map.of("authorization_code", code));
        }
        catch (ChallengeError refused) {
            writeError(response, refused);
        }
    }

    private static void writeError(HttpServletResponse response, ChallengeError refused) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", refused.error());
        body.put("error_description", refused.description());
        if (refused.authSession() != null) {
            body.put("auth_session", refused.authSession());
        }
        if (refused.status() == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"authorization challenge\"");
        }
        if (refused.status() == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            response.setHeader(HttpHeaders.ALLOW, "POST");
        }
        if (refused.retry() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retry().retryAfterSeconds()));
        }
        write(response, refused.status(), body);
    }

    private static void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        response.setStatus(status);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
