package io.latchkey.support;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Client-side OAuth helpers for tests: PKCE, token endpoint calls, JSON. */
public final class OAuth {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OAuth() {
    }

    public static String randomVerifier() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs a form to an endpoint with HTTP Basic client authentication (none when secret is null). */
    public static Browser.Response post(Browser browser, String path, String clientId, String secret,
            Map<String, String> form) {
        List<Map.Entry<String, String>> fields = new ArrayList<>(form.entrySet());
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(fields)));
        if (secret != null) {
            request.header("Authorization", basic(clientId, secret));
        }
        return browser.send(request.build());
    }

    /**
     * RFC 7662 introspection of a token by the test resource server, which may introspect every client's
     * tokens; asserts the endpoint answered 200.
     */
    public static JsonNode introspect(Browser browser, String token) {
        Browser.Response response = post(browser, "/oauth2/introspect", TestServerInitializer.RESOURCE_SERVER_CLIENT,
                TestServerInitializer.RESOURCE_SERVER_SECRET, form("token", token));
        if (response.status() != 200) {
            throw new AssertionError("Introspection answered " + response.status() + ": " + response.body());
        }
        return json(response);
    }

    public static boolean isActive(Browser browser, String token) {
        return introspect(browser, token).get("active").asBoolean();
    }

    public static Map<String, String> form(String... keyValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            form.put(keyValues[i], keyValues[i + 1]);
        }
        return form;
    }

    public static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    public static JsonNode json(Browser.Response response) {
        return json(response.body());
    }
}
