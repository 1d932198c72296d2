package io.latchkey.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON type of every registered claim, as its specification gives it: RFC 7519 section 4.1 (JWT),
 * OpenID Connect Core 1.0 sections 2 (ID token) and 5.1 (standard claims), RFC 7662 section 2.2
 * (introspection), RFC 9068 section 2.2 (JWT access tokens), RFC 6749 section 5.1 (token response); and
 * Latchkey's own array claims.
 */
public final class ClaimTypes {

    enum Type { INTEGER, STRING, BOOLEAN, STRING_ARRAY, STRING_OR_STRING_ARRAY, OBJECT }

    private static final Map<String, Type> TYPES = Map.ofEntries(
            Map.entry("exp", Type.INTEGER), Map.entry("iat", Type.INTEGER), Map.entry("nbf", Type.INTEGER),
            Map.entry("auth_time", Type.INTEGER), Map.entry("updated_at", Type.INTEGER),
            Map.entry("expires_in", Type.INTEGER),
            Map.entry("iss", Type.STRING), Map.entry("sub", Type.STRING), Map.entry("jti", Type.STRING),
            Map.entry("azp", Type.STRING), Map.entry("nonce", Type.STRING), Map.entry("at_hash", Type.STRING),
            Map.entry("c_hash", Type.STRING), Map.entry("sid", Type.STRING), Map.entry("acr", Type.STRING),
            Map.entry("client_id", Type.STRING), Map.entry("username", Type.STRING),
            Map.entry("token_type", Type.STRING), Map.entry("scope", Type.STRING), Map.entry("email", Type.STRING),
            Map.entry("name", Type.STRING), Map.entry("given_name", Type.STRING),
            Map.entry("family_name", Type.STRING), Map.entry("locale", Type.STRING),
            Map.entry("access_token", Type.STRING), Map.entry("refresh_token", Type.STRING),
            Map.entry("id_token", Type.STRING),
            Map.entry("email_verified", Type.BOOLEAN), Map.entry("phone_number_verified", Type.BOOLEAN),
            Map.entry("active", Type.BOOLEAN),
            Map.entry("amr", Type.STRING_ARRAY), Map.entry("roles", Type.STRING_ARRAY),
            Map.entry("permissions", Type.STRING_ARRAY),
            Map.entry("aud", Type.STRING_OR_STRING_ARRAY),
            Map.entry("address", Type.OBJECT));

    private ClaimTypes() {
    }

    /** Asserts that each registered claim present in the object has its specified type. */
    public static void assertTyped(String what, JsonNode object) {
        assertThat(object.isObject()).as(what + " is a JSON object: " + object).isTrue();
        for (Map.Entry<String, JsonNode> claim : object.properties()) {
            Type type = TYPES.get(claim.getKey());
            if (type != null) {
                assertThat(hasType(claim.getValue(), type))
                        .as("%s: claim %s should be %s but is %s", what, claim.getKey(), type, claim.getValue())
                        .isTrue();
            }
        }
    }

    /** Asserts the claim types of a JWT's payload and that the named claims are all there. */
    public static JsonNode assertJwtTyped(String what, String jwt, String... required) {
        JsonNode claims = payload(jwt);
        assertTyped(what, claims);
        assertThat(claims.propertyNames()).as(what + " claims").contains(required);
        return claims;
    }

    public static JsonNode payload(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("a JWS in compact form").hasSize(3);
        return OAuth.json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    /** The ID token claims every ID token must have (OpenID Connect Core section 2). */
    public static final String[] ID_TOKEN_REQUIRED = { "iss", "sub", "aud", "exp", "iat" };

    /** The claims RFC 9068 section 2.2 requires of a JWT access token. */
    public static final String[] ACCESS_TOKEN_REQUIRED = { "iss", "exp", "aud", "sub", "client_id", "iat", "jti" };


    private static boolean hasType(JsonNode value, Type type) {
        return switch (type) {
            case INTEGER -> value.isIntegralNumber();
            case STRING -> value.isString();
            case BOOLEAN -> value.isBoolean();
            case OBJECT -> value.isObject();
            case STRING_ARRAY -> isStringArray(value);
            case STRING_OR_STRING_ARRAY -> value.isString() || isStringArray(value);
        };
    }

    private static boolean isStringArray(JsonNode value) {
        if (!value.isArray()) {
            return false;
        }
        for (JsonNode element : value) {
            if (!element.isString()) {
                return false;
            }
        }
        return true;
    }
}
