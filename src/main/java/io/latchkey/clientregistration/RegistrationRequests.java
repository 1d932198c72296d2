package io.latchkey.clientregistration;

import java.util.Map;

import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads a registration or update request's body into {@link ClientMetadata}: a JSON object, with the application's
 * limits on JSON (length, nesting, strings), strictly typed (a number is not a string, a string is not a list, a list
 * holds no null, no field twice), unknown fields ignored (RFC 7591 section 2). Anything else is
 * {@code invalid_request} (not JSON, not an object) or {@code invalid_client_metadata} (a field of the wrong type).
 */
@Component
class RegistrationRequests {

    private final JsonMapper json;

    RegistrationRequests(JsonMapper applicationMapper) {
        this.json = applicationMapper.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, strings -> strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Array, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Object, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Collection, lists -> lists
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .build();
    }

    ClientMetadata read(byte[] body) {
        if (body == null || body.length == 0) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_REQUEST, "The body must be a JSON object");
        }
        try {
            if (!json.readTree(body).isObject()) {
                throw RegistrationError.badRequest(RegistrationError.INVALID_REQUEST, "The body must be a JSON object");
            }
        }
        catch (StreamReadException notJson) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_REQUEST,
                    "The body is not valid JSON, or over a limit on JSON");
        }
        catch (JacksonException notJson) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_REQUEST, "The body is not valid JSON");
        }
        try {
            return json.readValue(body, ClientMetadata.class);
        }
        catch (JacksonException wrongType) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_CLIENT_METADATA,
                    "A field has the wrong type" + field(wrongType) + ": lists are JSON arrays of strings, the "
                            + "others strings");
        }
    }

    /** The claims of a verified software statement, as metadata. */
    ClientMetadata fromClaims(Map<String, Object> claims) {
        try {
            return json.convertValue(claims, ClientMetadata.class);
        }
        catch (JacksonException | IllegalArgumentException wrongType) {
            throw RegistrationError.badRequest(RegistrationError.INVALID_SOFTWARE_STATEMENT,
                    "A claim of the software statement has the wrong type");
        }
    }

    private static String field(JacksonException failure) {
        String path = failure.getPathReference();
        if (path == null) {
            return "";
        }
        // "io.latchkey...ClientMetadata[\"redirect_uris\"]->java.util.ArrayList[0]": just the JSON names
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\[\"([a-z_]{1,40})\"\\]").matcher(path);
        return names.find() ? " (" + names.group(1) + ")" : "";
    }
}
