package io.latchkey.bench;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cookies of one browser, for one host. A fresh jar is a new browser: no session. Kept apart from the
 * HTTP client so that a worker can start a new browser without opening a new connection.
 */
final class CookieJar {

    private final Map<String, String> cookies = new LinkedHashMap<>();

    void remember(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String name = pair.substring(0, equals).trim();
            String value = pair.substring(equals + 1).trim();
            if (value.isEmpty() || header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                cookies.remove(name);
            }
            else {
                cookies.put(name, value);
            }
        }
    }

    /** The value of a {@code Cookie} request header, or null when the jar is empty. */
    String header() {
        if (cookies.isEmpty()) {
            return null;
        }
        return cookies.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("; "));
    }
}
