package io.latchkey.oauth.authorize;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/**
 * The {@code claims} request parameter (OpenID Connect Core 5.5): which of Latchkey's standard claims the client
 * asks for in the ID token ({@code id_token}) and at userinfo ({@code userinfo}), beside what its scopes release.
 * Latchkey has {@code email}, {@code email_verified} and {@code name}; {@code acr} with {@code values} (or
 * {@code value}) asks for a sign-in level as {@code acr_values} does ({@link AcrValues}). Other claims are
 * ignored; the parameter itself must be a JSON object of at most {@value #MAX_LENGTH} characters whose members
 * have the shape of section 5.5, else the request is {@code invalid_request} ({@link ClaimsParameter}). The
 * parameter stays with the authorization (its request), so the tokens and userinfo of that authorization apply it.
 */
public record ClaimsRequest(Set<String> idToken, Set<String> userinfo, List<String> acrValues) {

    public static final String PARAMETER = "claims";
    static final int MAX_LENGTH = 4096;
    /** The user claims Latchkey can release on request. */
    public static final Set<String> RELEASABLE = Set.of("email", "email_verified", "name");
    private static final String ACR = "acr";
    private static final ClaimsRequest NONE = new ClaimsRequest(Set.of(), Set.of(), List.of());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the request of an authorization asked for; nothing when it had no (or no readable) claims parameter. */
    public static ClaimsRequest of(OAuth2Authorization authorization) {
        if (authorization == null) {
            return NONE;
        }
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        return request == null ? NONE : ofParameters(request.getAdditionalParameters());
    }

    /** As {@link #of(OAuth2Authorization)}, from a request's parameters; never fails. */
    public static ClaimsRequest ofParameters(Map<String, Object> parameters) {
        try {
            return parse(parameters.get(PARAMETER));
        }
        catch (IllegalArgumentException unreadable) {
            return NONE;
        }
    }

    /** Whether it asks for any claim Latchkey releases. */
    public boolean asksForClaims() {
        return !idToken.isEmpty() || !userinfo.isEmpty();
    }

    /** Every releasable claim it asks for, wherever. */
    public Set<String> all() {
        Set<String> all = new LinkedHashSet<>(idToken);
        all.addAll(userinfo);
        return all;
    }

    /** The parameter read; null gives no request. Throws IllegalArgumentException when malformed. */
    static ClaimsRequest parse(Object parameter) {
        if (parameter == null) {
            return NONE;
        }
        if (!(parameter instanceof String text) || text.isBlank() || text.length() > MAX_LENGTH
                || text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("claims must be a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        }
        catch (JacksonException malformed) {
            throw new IllegalArgumentException("claims is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("claims must be a JSON object");
        }
        List<String> acrValues = new ArrayList<>();
        Set<String> idToken = members(root.get("id_token"), acrValues);
        Set<String> userinfo = members(root.get("userinfo"), new ArrayList<>());
        return new ClaimsRequest(Set.copyOf(idToken), Set.copyOf(userinfo), List.copyOf(acrValues));
    }

    private static Set<String> members(JsonNode target, List<String> acrValues) {
        Set<String> claims = new LinkedHashSet<>();
        if (target == null || target.isNull()) {
            return claims;
        }
        if (!target.isObject()) {
            throw new IllegalArgumentException("claims members must be objects");
        }
        for (Map.Entry<String, JsonNode> member : target.properties()) {
            JsonNode request = member.getValue();
            if (!request.isNull() && !wellFormed(request)) {
                throw new IllegalArgumentException("a claim's request must be null or an object");
            }
            if (RELEASABLE.contains(member.getKey())) {
                claims.add(member.getKey());
            }
            else if (ACR.equals(member.getKey()) && request.isObject()) {
                if (request.path("value").isString()) {
                    acrValues.add(request.get("value").asString());
                }
                request.path("values").forEach(value -> {
                    if (value.isString()) {
                        acrValues.add(value.asString());
                    }
                });
            }
        }
        return claims;
    }

    /** Section 5.5.1: {@code essential} a boolean, {@code value} a single value, {@code values} an array. */
    private static boolean wellFormed(JsonNode request) {
        return request.isObject()
                && (!request.has("essential") || request.get("essential").isBoolean())
                && (!request.has("value") || request.get("value").isValueNode())
                && (!request.has("values") || request.get("values").isArray());
    }
}
