package io.latchkey.passkey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;

/** The passkey endpoints' JSON answers: fixed codes only, never anything the request sent. */
final class PasskeyJson {

    private PasskeyJson() {
    }

    /** {@code {"error": code}}; {@code code} is one of this module's constants, never input. */
    static void error(HttpServletResponse response, int status, String code) throws IOException {
        write(response, status, "{\"error\":\"" + code + "\"}");
    }

    static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json);
    }
}
