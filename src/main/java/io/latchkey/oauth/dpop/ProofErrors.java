package io.latchkey.oauth.dpop;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

/**
 * How a refused proof is answered. At the token endpoint: 400 with an RFC 6749 section 5.2 JSON error
 * (RFC 9449 sections 5 and 8). At a resource: 401 with a {@code WWW-Authenticate: DPoP} challenge naming the error
 * and the accepted algorithms (RFC 9449 sections 7.1 and 9), and the same JSON body. Both add the current
 * {@code DPoP-Nonce} to a {@code use_dpop_nonce}.
 */
final class ProofErrors {

    static final String NONCE_HEADER = "DPoP-Nonce";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProofErrors() {
    }

    static void atTokenEndpoint(HttpServletResponse response, String error, String description, String nonce)
            throws IOException {
        if (nonce != null) {
            response.setHeader(NONCE_HEADER, nonce);
        }
        write(response, HttpServletResponse.SC_BAD_REQUEST, error, description);
    }

    static void atResource(HttpServletResponse response, String error, String description, String nonce)
            throws IOException {
        if (nonce != null) {
            response.setHeader(NONCE_HEADER, nonce);
        }
        response.setHeader("WWW-Authenticate", "DPoP error=\"" + error + "\", error_description=\""
                + description.replace("\"", "'") + "\", algs=\"" + ProofAlgorithms.spaceSeparated() + "\"");
        write(response, HttpServletResponse.SC_UNAUTHORIZED, error, description);
    }

    private static void write(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
