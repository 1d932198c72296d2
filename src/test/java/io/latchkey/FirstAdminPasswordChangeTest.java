package io.latchkey;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.BrowserSession;
import io.latchkey.support.OAuth;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first administrator of a new evaluation install, as a new user meets it: the generated password from the
 * startup summary signs in, but only to a page that asks for a new password; until then the password grant refuses
 * it; after it the user goes on into the flow they started (here the demo client's consent page, with the demo
 * client's name and logo) and the new password works everywhere. A second start prints no password and says in the
 * log how to recover a lost one. Deliberately not a Spring test: it runs Latchkey on H2 like {@link
 * EmbeddedModeSmokeTest}.
 */
class FirstAdminPasswordChangeTest {

    private static final Pattern GENERATED = Pattern.compile("Admin password \\(shown once[^)]*\\): (\\S+)");
    private static final String LEGACY_SECRET = "legacy-secret-0123456789";
    private static final String NEW_PASSWORD = "the admin's own passphrase";
    private static final String DEMO_REDIRECT = "http://127.0.0.1:8080/login/oauth2/code/latchkey";

    @RegisterExtension
    static final BrowserSession browser = new BrowserSession(Duration.ofSeconds(20));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theGeneratedPasswordMustBeReplacedAtTheFirstSignInThenEverythingWorks(@TempDir Path dataDir)
            throws Exception {
        int port = freePort();
        String base = "http://localhost:" + port;
        String generated;
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        ConfigurableApplicationContext first;
        try {
            first = start(dataDir, port);
        }
        finally {
            System.setOut(console);
        }
        try (ConfigurableApplicationContext context = first) {
            Matcher password = GENERATED.matcher(printed.toString(StandardCharsets.UTF_8));
            assertThat(password.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
            generated = password.group(1);

            HttpResponse<String> refused = passwordGrant(base, generated);
            assertThat(refused.statusCode()).isEqualTo(400);
            JsonNode error = OAuth.json(refused.body());
            assertThat(error.get("error").asString()).isEqualTo("invalid_grant");
            assertThat(error.get("error_description").asString()).startsWith("password change required");

            String verifier = OAuth.randomVerifier();
            String authorize = base + "/oauth2/authorize?response_type=code&client_id=demo-client"
                    + "&scope=openid%20profile&state=s1&redirect_uri=" + DEMO_REDIRECT + "&code_challenge="
                    + OAuth.challenge(verifier) + "&code_challenge_method=S256";
            browser.open(authorize);
            browser.waitFor(By.id("sign-in"));
            browser.fill("username", "admin@localhost").fill("password", generated).click("sign-in");
            browser.waitFor(By.id("password-change-required"));
            assertThat(browser.currentUrl()).isEqualTo(base + "/account/change-password");
            browser.open(base + "/account");
            browser.waitFor(By.id("password-change-required")); // every page leads here until it is done
            browser.open(authorize);
            browser.waitFor(By.id("password-change-required")); // the authorization endpoint too

            browser.fill("currentPassword", generated).fill("newPassword", NEW_PASSWORD)
                    .fill("confirmPassword", NEW_PASSWORD).click("save-new-password");
            // back into the flow that was started: the demo client's consent page, with its name and logo
            browser.waitFor(By.id("submit-consent"));
            assertThat(browser.element(By.tagName("main")).getText()).contains("Latchkey Demo App");
            assertThat(browser.element(By.className("client-logo")).getAttribute("src"))
                    .isEqualTo(base + "/static/latchkey-logo.svg");
            Object logoWidth = browser.driver().executeScript(
                    "return document.querySelector('.client-logo').naturalWidth");
            assertThat(((Number) logoWidth).intValue()).as("the logo loads").isPositive();

            assertThat(passwordGrant(base, generated).statusCode()).isEqualTo(400);
            assertThat(passwordGrant(base, NEW_PASSWORD).statusCode()).isEqualTo(200);
            browser.open(base + "/account");
            assertThat(browser.waitFor(By.id("account-email")).getText()).isEqualTo("admin@localhost");
        }

        ByteArrayOutputStream printedAgain = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printedAgain, true, StandardCharsets.UTF_8));
        // the second start: no password printed, and the log says how to recover a lost one
        try (ConfigurableApplicationContext context = start(dataDir, port)) {
            // the log goes to standard output too (Spring Boot sets up its console appender at start)
            String output = printedAgain.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("generated password was shown once").contains("/forgot-password")
                    .doesNotContain("Admin password").doesNotContain(generated);
        }
        finally {
            System.setOut(console);
        }
    }

    private HttpResponse<String> passwordGrant(String base, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", OAuth.basic("legacy", LEGACY_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=admin%40localhost&password="
                        + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8) + "&scope=openid"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static ConfigurableApplicationContext start(Path dataDir, int port) {
        return new SpringApplicationBuilder(LatchkeyApplication.class).run("--latchkey.port=" + port,
                "--latchkey.data-dir=" + dataDir,
                "--latchkey.clients.legacy.secret=" + LEGACY_SECRET,
                "--latchkey.clients.legacy.grant-types=password",
                "--latchkey.clients.legacy.scopes=openid");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
