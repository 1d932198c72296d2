package io.latchkey.oauth.authorize;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.latchkey.support.BrowserSession;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * response_mode=form_post in headless Chromium under Latchkey's Content-Security-Policy: the page submits itself
 * (a script file of the theme, nothing inline) to the client's redirect URI, here a small HTTP receiver on the
 * loopback interface (any port is allowed there), and the browser reports no CSP violation on the way.
 */
@IntegrationTest
class FormPostBrowserTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "form post browser password 7";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession();

    @Test
    void theFormPostPageSubmitsItselfToTheRedirectUriWithoutACspViolation() throws Exception {
        String email = TestUsers.uniqueEmail("form-post-browser");
        createUser(email, PASSWORD);
        CompletableFuture<String> received = new CompletableFuture<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/trusted-callback", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.complete(exchange.getRequestMethod() + " " + body);
            byte[] page = "<!DOCTYPE html><title>received</title><p id=\"received\">received</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        receiver.start();
        try {
            String redirectUri = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/trusted-callback";
            browser.open(CodeFlow.authorizeUrl(TRUSTED_CLIENT, redirectUri, "openid", "browser-state",
                    OAuth.randomVerifier(), "response_mode", "form_post")).signIn(email, PASSWORD);

            String request = received.get(20, TimeUnit.SECONDS);
            assertThat(request).startsWith("POST ");
            Map<String, String> form = Arrays.stream(request.substring(5).split("&"))
                    .map(pair -> pair.split("=", 2))
                    .collect(Collectors.toMap(pair -> pair[0],
                            pair -> URLDecoder.decode(pair.length > 1 ? pair[1] : "", StandardCharsets.UTF_8)));
            assertThat(form.get("code")).isNotBlank();
            assertThat(form).containsEntry("state", "browser-state").containsEntry("iss", TestServerInitializer.ISSUER);
            browser.waitForUrl(redirectUri);
            assertThat(browser.consoleErrors()).noneMatch(message -> message.contains("Content Security Policy")
                    || message.contains("Content-Security-Policy"));
        }
        finally {
            receiver.stop(0);
        }
    }
}
