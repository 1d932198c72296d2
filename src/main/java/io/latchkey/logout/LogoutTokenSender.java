package io.latchkey.logout;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs a logout token to a client's back-channel logout URI as {@code logout_token}, form-encoded
 * (OpenID Connect Back-Channel Logout 1.0 section 2.5), with connect and read timeouts and without following
 * redirects. A 2xx answer is a delivery (section 2.8 allows 204 for 200); anything else, or no answer, is a
 * failed attempt.
 */
final class LogoutTokenSender {

    private final HttpClient http;
    private final Duration readTimeout;

    LogoutTokenSender(Duration connectTimeout, Duration readTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.readTimeout = readTimeout;
    }

    Result send(String uri, String logoutToken) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                .timeout(readTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "logout_token=" + URLEncoder.encode(logoutToken, StandardCharsets.US_ASCII)))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Result(status, status >= 200 && status < 300 ? null : "HTTP " + status);
        }
        catch (HttpTimeoutException ex) {
            return new Result(null, "timed out: " + ex.getClass().getSimpleName());
        }
        catch (IOException ex) {
            return new Result(null, ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        }
    }

    /** The receiver's answer: its HTTP status (null when none came) and what went wrong (null on success). */
    record Result(Integer httpStatus, String error) {

        boolean delivered() {
            return error == null;
        }
    }
}
