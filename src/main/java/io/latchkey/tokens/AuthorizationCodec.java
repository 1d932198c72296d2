package io.latchkey.tokens;

import java.net.URL;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

/**
 * Writes an authorization's attributes and a token's claims as small, plain JSON: explicit fields for
 * the few types the authorization server stores, no class names, no polymorphic typing. A value of a
 * type it does not know is refused rather than silently dropped.
 */
final class AuthorizationCodec {

    static final String VERSION_ATTRIBUTE = AuthorizationCodec.class.getName() + ".VERSION";
    private static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf", "auth_time", "updated_at");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JsonMapper json = JsonMapper.builder().build();

    String writeAttributes(Map<String, Object> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (name.equals(VERSION_ATTRIBUTE) || name.equals(AuthorizationStore.FIRST_STORED_AT_ATTRIBUTE)
                    || name.equals(OAuth2ParameterNames.STATE)) {
                return; // the version and the start are columns; the state is stored hashed, as a token
            }
            if (name.equals(Principal.class.getName()) && value instanceof Authentication authentication) {
                out.put("principal", writePrincipal(authentication));
            }
            else if (name.equals(OAuth2AuthorizationRequest.class.getName())
                    && value instanceof OAuth2AuthorizationRequest request) {
                out.put("request", writeRequest(request));
            }
            else if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                values.put(name, value);
            }
            else if (value instanceof Collection<?> collection && collection.stream().allMatch(String.class::isInstance)) {
                values.put(name, Map.of("set", new ArrayList<>(collection)));
            }
            else {
                throw new IllegalArgumentException("Cannot store authorization attribute " + name + " of type "
                        + (value == null ? "null" : value.getClass().getName()));
            }
        });
        if (!values.isEmpty()) {
            out.put("values", values);
        }
        return json.writeValueAsString(out);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> readAttributes(String text) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return attributes;
        }
        Map<String, Object> in = json.readValue(text, MAP);
        if (in.get("principal") instanceof Map<?, ?> principal) {
            attributes.put(Principal.class.getName(), readPrincipal((Map<String, Object>) principal));
        }
        if (in.get("request") instanceof Map<?, ?> request) {
            attributes.put(OAuth2AuthorizationRequest.class.getName(), readRequest((Map<String, Object>) request));
        }
        if (in.get("values") instanceof Map<?, ?> values) {
            values.forEach((name, value) -> attributes.put((String) name,
                    value instanceof Map<?, ?> set ? new LinkedHashSet<>((List<String>) set.get("set")) : value));
        }
        return attributes;
    }

    /** Token claims with times as epoch seconds and collections as arrays. */
    String writeClaims(Map<String, Object> claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        claims.forEach((name, value) -> out.put(name, plain(value)));
        return json.writeValueAsString(out);
    }

    /**
     * Claims as written by {@link #writeClaims}, with NumericDate claims as {@link Instant}s. Rows written
     * before dates were stored as numbers hold a date's {@code toString()} instead; those are read too.
     */
    Map<String, Object> readClaims(String text) {
        Map<String, Object> claims = new LinkedHashMap<>(json.readValue(text, MAP));
        for (String name : TIME_CLAIMS) {
            Object value = claims.get(name);
            if (value instanceof Number seconds) {
                claims.put(name, Instant.ofEpochSecond(seconds.longValue()));
            }
            else if (value instanceof String legacy) {
                Instant parsed = LegacyDates.parse(legacy);
                if (parsed == null) {
                    claims.remove(name);
                }
                else {
                    claims.put(name, parsed);
                }
            }
        }
        return claims;
    }

    String write(Map<String, Object> tree) {
        return json.writeValueAsString(tree);
    }

    Map<String, Object> read(String text) {
        return text == null || text.isEmpty() ? Map.of() : json.readValue(text, MAP);
    }

    private static Object plain(Object value) {
        if (value instanceof Instant instant) {
            return instant.getEpochSecond();
        }
        if (value instanceof Date date) {
            return date.toInstant().getEpochSecond();
        }
        if (value instanceof URL url) {
            return url.toString();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(AuthorizationCodec::plain).toList();
        }
        if (value instanceof Object[] array) {
            // a repeated request parameter (RFC 8707 resource), kept by the framework as an array
            return java.util.Arrays.stream(array).map(AuthorizationCodec::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> nested = new LinkedHashMap<>();
            map.forEach((key, nestedValue) -> nested.put(String.valueOf(key), plain(nestedValue)));
            return nested;
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        return value.toString();
    }

    private static Map<String, Object> writePrincipal(Authentication authentication) {
        List<String> authorities = new ArrayList<>();
        Map<String, Object> factors = new LinkedHashMap<>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            authorities.add(authority.getAuthority());
            if (authority instanceof FactorGrantedAuthority factor) {
                factors.put(factor.getAuthority(), factor.getIssuedAt().toEpochMilli());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", authentication.getName());
        out.put("authorities", authorities);
        out.put("factors", factors);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Authentication readPrincipal(Map<String, Object> in) {
        Map<String, Object> factors = (Map<String, Object>) in.getOrDefault("factors", Map.of());
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String authority : (List<String>) in.getOrDefault("authorities", List.of())) {
            authorities.add(factors.get(authority) instanceof Number issuedAt
                    ? FactorGrantedAuthority.withAuthority(authority).issuedAt(Instant.ofEpochMilli(issuedAt.longValue())).build()
                    : new SimpleGrantedAuthority(authority));
        }
        User user = new User((String) in.get("name"), "", authorities);
        return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
    }

    private static Map<String, Object> writeRequest(OAuth2AuthorizationRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uri", request.getAuthorizationUri());
        out.put("clientId", request.getClientId());
        out.put("redirectUri", request.getRedirectUri());
        out.put("scopes", new ArrayList<>(request.getScopes()));
        out.put("state", request.getState());
        Map<String, Object> parameters = new LinkedHashMap<>();
        request.getAdditionalParameters().forEach((name, value) -> parameters.put(name, plain(value)));
        out.put("parameters", parameters);
        Map<String, Object> attributes = new LinkedHashMap<>();
        request.getAttributes().forEach((name, value) -> attributes.put(name, plain(value)));
        out.put("attributes", attributes);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static OAuth2AuthorizationRequest readRequest(Map<String, Object> in) {
        return OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri((String) in.get("uri"))
                .clientId((String) in.get("clientId"))
                .redirectUri((String) in.get("redirectUri"))
                .scopes(new LinkedHashSet<>((List<String>) in.getOrDefault("scopes", List.of())))
                .state((String) in.get("state"))
                .additionalParameters((Map<String, Object>) in.getOrDefault("parameters", Map.of()))
                .attributes((Map<String, Object>) in.getOrDefault("attributes", Map.of()))
                .build();
    }
}
