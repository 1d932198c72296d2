package io.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;

/**
 * One benchmark worker's HTTP connection to the server: HTTP/1.1, redirects never followed, cookies only
 * from the jar passed with each request (so one worker can be many browsers over one connection).
 */
final class HttpAgent {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final String baseUrl;

    HttpAgent(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    String baseUrl() {
        return baseUrl;
    }

    Reply get(String pathOrUrl, CookieJar jar, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(pathOrUrl, jar).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), jar);
    }

    /** POSTs an urlencoded form; {@code authorization} is the Authorization header value, or null. */
    Reply postForm(String pathOrUrl, String form, CookieJar jar, String authorization, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(pathOrUrl, jar)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build(), jar);
    }

    static String form(String... namesAndValues) {
        StringJoiner joined = new StringJoiner("&");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            joined.add(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return joined.toString();
    }

    private HttpRequest.Builder request(String pathOrUrl, CookieJar jar) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
        String cookies = jar == null ? null : jar.header();
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        return request;
    }

    private Reply send(HttpRequest request, CookieJar jar) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (jar != null) {
            jar.remember(response);
        }
        String location = response.headers().firstValue("Location")
                .map(value -> request.uri().resolve(value).toString()).orElse(null);
        return new Reply(response.statusCode(), response.body(), location, request.uri());
    }

    /** A response, with its Location resolved against the request. */
    record Reply(int status, String body, String location, URI uri) {

        /** Describes the response for an error report: status, where it was, where it pointed, body start. */
        String describe() {
            String snippet = body == null ? "" : body.replaceAll("\\s+", " ");
            if (snippet.length() > 160) {
                snippet = snippet.substring(0, 160) + "...";
            }
            return status + " from " + uri.getPath() + (location == null ? "" : " -> " + location)
                    + (snippet.isEmpty() ? "" : " " + snippet);
        }
    }
}
