package io.latchkey.clientregistration;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The bearer token of a request, from its {@code Authorization} header only (RFC 6750 section 2.1; never a query
 * or form parameter). Exactly one header, scheme {@code Bearer} in any case, a token of the b64token characters.
 */
final class BearerToken {

    static final int MAX_LENGTH = 8192;
    private static final String B64TOKEN = "[A-Za-z0-9\\-._~+/]+=*";

    private BearerToken() {
    }

    /** The token; null when the request sends no Authorization header. */
    static String of(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders("Authorization"));
        if (headers.isEmpty()) {
            return null;
        }
        if (headers.size() > 1) {
            throw RegistrationError.invalidToken("Send one Authorization header");
        }
        String header = headers.get(0);
        if (header == null || header.length() > MAX_LENGTH
                || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            throw RegistrationError.invalidToken("Send the token as Authorization: Bearer <token>");
        }
        String token = header.substring("bearer ".length()).strip();
        if (!token.matches(B64TOKEN)) {
            throw RegistrationError.invalidToken("The token is malformed");
        }
        return token;
    }
}
