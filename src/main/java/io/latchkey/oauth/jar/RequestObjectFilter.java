package io.latchkey.oauth.jar;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of the authorization endpoint and the PAR endpoint: a {@code request} parameter (a request object, RFC
 * 9101) is verified ({@link RequestObjectVerifier}) and its claims become the request's parameters
 * ({@link ParametersFromRequestObject}); of those the request arrived with only {@code client_id} is kept (and, at
 * the PAR endpoint, the client's credentials), so every later check applies to what the client signed. A
 * {@code response_type} or {@code scope} sent outside as well must be the same as inside (OpenID Connect Core
 * section 6.1). A {@code request_uri} is only ever one from the PAR endpoint: Latchkey fetches no request objects
 * from URLs, so any other is {@code invalid_request_uri}.
 *
 * <p>It matches the endpoints with the same path matcher as the framework's endpoint filters, so no spelling of a
 * path reaches an endpoint without passing here; and should one ever do, the endpoints' checks refuse a request
 * that still holds a {@code request} parameter ({@link RequestObjects#unprocessed}).
 */
final class RequestObjectFilter extends OncePerRequestFilter {

    /** JWT claims of the request object that are no authorization request parameters. */
    private static final Set<String> JWT_CLAIMS = Set.of("iss", "aud", "exp", "iat", "nbf", "jti", "sub");
    private static final List<String> CLIENT_CREDENTIALS = List.of(OAuth2ParameterNames.CLIENT_SECRET,
            OAuth2ParameterNames.CLIENT_ASSERTION, OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
    private static final String PAR_URN_PREFIX = "urn:ietf:params:oauth:request_uri:";

    private final RequestMatcher endpoint;
    private final boolean pushed;
    private final RequestObjectVerifier verifier;
    private final RegisteredClientRepository clients;
    private final Errors errors;

    /** How the endpoint answers a refusal. */
    interface Errors {
        void send(HttpServletRequest request, HttpServletResponse response, RequestObjectRefused refused)
                throws IOException;
    }

    RequestObjectFilter(RequestMatcher endpoint, boolean pushed, RequestObjectVerifier verifier,
            RegisteredClientRepository clients, Errors errors) {
        this.endpoint = endpoint;
        this.pushed = pushed;
        this.verifier = verifier;
        this.clients = clients;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !endpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpServletRequest verified;
        try {
            verified = verified(request);
        }
        catch (RequestObjectRefused refused) {
            errors.send(request, response, refused);
            return;
        }
        catch (RuntimeException unexpected) {
            // whatever a hostile request object sets off in parsing it is still the client's mistake
            logger.debug("Request object refused", unexpected);
            errors.send(request, response, new RequestObjectRefused(RequestObjectRefused.INVALID_REQUEST_OBJECT,
                    "The request object could not be read"));
            return;
        }
        chain.doFilter(verified, response);
    }

    private HttpServletRequest verified(HttpServletRequest request) {
        String[] requestUris = request.getParameterValues(OAuth2ParameterNames.REQUEST_URI);
        String[] requestObjects = request.getParameterValues("request");
        if (!pushed && requestUris != null) {
            for (String requestUri : requestUris) {
                if (requestUri == null || !requestUri.startsWith(PAR_URN_PREFIX)) {
                    throw new RequestObjectRefused(RequestObjectRefused.INVALID_REQUEST_URI,
                            "Only a request_uri from the pushed authorization request endpoint is accepted");
                }
            }
        }
        if (requestObjects == null) {
            return request;
        }
        if (requestObjects.length != 1 || requestUris != null) {
            throw new RequestObjectRefused(RequestObjectRefused.INVALID_REQUEST,
                    "Send one request object, and no request_uri with it");
        }
        RegisteredClient client = client(request);
        Map<String, Object> claims = verifier.verify(requestObjects[0], client);
        Map<String, String[]> parameters = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            if (!JWT_CLAIMS.contains(name) && value != null) {
                parameters.put(name, values(name, value));
            }
        });
        if (parameters.containsKey("request") || parameters.containsKey(OAuth2ParameterNames.REQUEST_URI)) {
            throw new RequestObjectRefused(RequestObjectRefused.INVALID_REQUEST_OBJECT,
                    "A request object may not hold request or request_uri");
        }
        sameOutsideAsInside(request, parameters, OAuth2ParameterNames.RESPONSE_TYPE, false);
        sameOutsideAsInside(request, parameters, OAuth2ParameterNames.SCOPE, true);
        parameters.put(OAuth2ParameterNames.CLIENT_ID, new String[] { client.getClientId() });
        if (pushed) {
            for (String credential : CLIENT_CREDENTIALS) {
                String[] values = request.getParameterValues(credential);
                if (values != null) {
                    parameters.put(credential, values);
                }
            }
        }
        return new ParametersFromRequestObject(request, parameters);
    }

    /**
     * The client the request object must come from: at the PAR endpoint the authenticated one (whose
     * {@code client_id} must be the one outside), at the authorization endpoint the one its {@code client_id} names.
     */
    private RegisteredClient client(HttpServletRequest request) {
        String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
        String clientId = clientIds != null && clientIds.length == 1 ? clientIds[0] : null;
        RegisteredClient client;
        if (pushed) {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            client = authentication instanceof OAuth2ClientAuthenticationToken clientAuthentication
                    && clientAuthentication.isAuthenticated() ? clientAuthentication.getRegisteredClient() : null;
            if (client != null && clientId != null && !clientId.equals(client.getClientId())) {
                client = null;
            }
        }
        else {
            client = clientId == null || clientId.length() > 100 ? null : clients.findByClientId(clientId);
        }
        if (client == null) {
            throw new RequestObjectRefused(RequestObjectRefused.INVALID_REQUEST,
                    "A request object needs the client_id of a known client alongside it");
        }
        return client;
    }

    private static void sameOutsideAsInside(HttpServletRequest request, Map<String, String[]> inside, String name,
            boolean asSet) {
        String[] outside = request.getParameterValues(name);
        if (outside == null) {
            return;
        }
        String[] inner = inside.get(name);
        boolean same = inner != null && outside.length == 1 && inner.length == 1 && (asSet
                ? new HashSet<>(Arrays.asList(outside[0].trim().split("\\s+")))
                        .equals(new HashSet<>(Arrays.asList(inner[0].trim().split("\\s+"))))
                : outside[0].equals(inner[0]));
        if (!same) {
            throw new RequestObjectRefused(RequestObjectRefused.INVALID_REQUEST,
                    "The " + name + " outside the request object differs from the one inside");
        }
    }

    /**
     * A claim as parameter values: a string as it is, a number or boolean as its text, a JSON object or array
     * (such as {@code claims} or {@code authorization_details}) as its JSON; a {@code resource} array as one value
     * per resource (RFC 8707 section 2).
     */
    @SuppressWarnings("unchecked")
    private static String[] values(String name, Object value) {
        if (value instanceof String text) {
            return new String[] { text };
        }
        if (value instanceof List<?> list) {
            if ("resource".equals(name) && list.stream().allMatch(String.class::isInstance)) {
                return list.toArray(new String[0]);
            }
            return new String[] { JSONArrayUtils.toJSONString((List<Object>) list) };
        }
        if (value instanceof Map<?, ?> map) {
            return new String[] { JSONObjectUtils.toJSONString((Map<String, ?>) map) };
        }
        return new String[] { String.valueOf(value) };
    }
}
