package io.latchkey.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * A cookie-keeping HTTP client that behaves like a browser at the HTTP level, without following
 * redirects on its own so that tests see every hop.
 */
public class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final HttpClient client;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final String base;

    public Browser() {
        this(TestServerInitializer.ISSUER);
    }

    public Browser(String base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public Response get(String pathOrUrl, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(pathOrUrl)).GET();
        if (headers.length == 0) {
            request.header("Accept", "text/html");
        }
        else {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Response postForm(String pathOrUrl, List<Map.Entry<String, String>> form, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(pathOrUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Response postForm(String pathOrUrl, Map<String, String> form, String... headers) {
        return postForm(pathOrUrl, new ArrayList<>(form.entrySet()), headers);
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body(), request.uri());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Follows redirects that stay on the server; stops at the first response that is not one, or leaves it. */
    public Response follow(Response response) {
        Response current = response;
        for (int hops = 0; hops < 10 && current.isRedirect() && current.location().startsWith(base); hops++) {
            current = get(current.location());
        }
        return current;
    }

    /** Signs in through the hosted login form, starting from the login page. */
    public Response signIn(String email, String password) {
        Response page = get("/login");
        return postForm("/login", Map.of("username", email, "password", password, "_csrf", page.csrf()));
    }

    /** The value of the cookie with this name that the browser holds, or null. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(cookie -> cookie.getName().equals(name))
                .map(java.net.HttpCookie::getValue).findFirst().orElse(null);
    }

    public URI resolve(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
    }

    public static String encode(List<Map.Entry<String, String>> form) {
        return form.stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public record Response(int status, Map<String, List<String>> headers, String body, URI uri) {

        public boolean isRedirect() {
            return status >= 300 && status < 400;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }

        public String location() {
            String location = header("Location");
            if (location == null) {
                throw new AssertionError("No Location header; status " + status + ", body: " + body);
            }
            return location.startsWith("/") ? uri.resolve(location).toString() : location;
        }

        /** A query parameter of the redirect target, decoded. */
        public String locationParam(String name) {
            List<String> values = UriComponentsBuilder.fromUriString(location()).build().getQueryParams().get(name);
            return values == null ? null : java.net.URLDecoder.decode(values.get(0), StandardCharsets.UTF_8);
        }

        public String csrf() {
            Matcher matcher = CSRF.matcher(body);
            if (!matcher.find()) {
                throw new AssertionError("No CSRF field in page: " + body);
            }
            return matcher.group(1);
        }
    }
}
