package io.latchkey.pages;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.slf4j.LoggerFactory;


import io.latchkey.http.EndpointErrors;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.LogCapture;
import io.latchkey.support.RawHttp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** The hosted login and error pages: headers, accessibility basics, CSRF, and hostile input. */
@IntegrationTest
class HostedPagesTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "hosted pages password 7";

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("hosted");
        createUser(email, PASSWORD);
    }

    @Test
    void loginPageHasStrictSecurityHeaders() {
        Browser.Response page = browser.get("/login");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'")
                .contains("script-src 'self'").contains("default-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("Cache-Control")).contains("no-store");
    }

    @Test
    void loginPageIsAccessibleAndHasNoInlineScriptOrStyle() {
        String body = browser.get("/login").body();
        assertThat(body).contains("<label for=\"username\"").contains("<label for=\"password\"")
                .contains("name=\"username\"").contains("name=\"password\"").contains("name=\"_csrf\"")
                .contains("autocomplete=\"current-password\"").contains("lang=\"");
        // scripts only as files of the theme: every script element has a src and no content
        assertThat(body).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContainPattern("<script[^>]*>[^<]")
                .doesNotContain("style=\"").doesNotContain("onclick");
    }

    @Test
    void correctCredentialsSignInAndWrongOnesShowAGenericError() {
        Browser.Response wrong = browser.signIn(email, "not the password");
        assertThat(wrong.location()).isEqualTo(ISSUER + "/login?error");
        assertThat(browser.get(wrong.location()).body()).contains("Wrong email or password.");

        Browser.Response unknown = browser.signIn("nobody-" + email, PASSWORD);
        assertThat(unknown.location()).isEqualTo(ISSUER + "/login?error");

        Browser.Response right = browser.signIn(email.toUpperCase(java.util.Locale.ROOT), PASSWORD);
        assertThat(right.location()).isEqualTo(ISSUER + "/");
        assertThat(browser.follow(browser.get("/")).body()).contains("id=\"sign-out\"").contains(email);
    }

    @Test
    void loginWithoutOrWithWrongCsrfTokenIsRefusedWithAFriendlyPage() {
        browser.get("/login");
        Browser.Response missing = browser.postForm("/login", Map.of("username", email, "password", PASSWORD));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("Not allowed").doesNotContain("Exception");

        Browser.Response wrong = browser.postForm("/login", Map.of("username", email, "password", PASSWORD,
                "_csrf", "forged-token"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(browser.get("/", "Accept", "text/html").location()).startsWith(ISSUER + "/login");
    }

    @Test
    void hostileAndOversizedLoginInputIsJustAFailedLogin() {
        for (String username : List.of("x".repeat(10_000) + "@example.com", "' OR '1'='1' --", "<script>alert(1)</script>",
                "a\u0000b@example.com", "\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9@\u2603.example", "")) {
            Browser.Response response = browser.signIn(username, "x".repeat(10_000));
            assertThat(response.status()).as(username).isEqualTo(302);
            assertThat(response.location()).isEqualTo(ISSUER + "/login?error");
            assertThat(browser.get(response.location()).body()).doesNotContain("<script>alert(1)</script>");
        }
    }

    @Test
    void unknownPageForASignedInUserIsAFriendlyNotFound() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get("/no/such/page");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("There is nothing here.").doesNotContain("Whitelabel");
    }

    @Test
    void consentPageWithMissingOrUnknownParametersIsAFriendlyError() {
        browser.signIn(email, PASSWORD);
        Browser.Response missing = browser.get("/oauth2/consent");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("This request cannot be used").doesNotContain("Exception");

        Browser.Response unknown = browser.get("/oauth2/consent?client_id=%3Cscript%3E&scope=openid&state=x");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).doesNotContain("<script>");
    }

    @Test
    void staticThemeFilesAreServed() {
        Browser.Response css = browser.get("/static/latchkey.css", "Accept", "text/css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.body()).contains(".card");
    }

    @Test
    void oversizedFormPostGetsTheErrorPageNotTheContainersPage() {
        Browser.Response page = browser.get("/login");
        Browser.Response response = browser.postForm("/login", Map.of("username", "x".repeat(200_000),
                "password", "y", "_csrf", page.csrf()));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("Something went wrong").doesNotContain("Tomcat");
    }

    @Test
    void headersUpToTheConfiguredSizeAreAccepted() {
        // latchkey.http.max-header-size is 16KB, twice the container's own default
        Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve("/login"))
                .header("X-Filler", "y".repeat(12_000)).GET().build());
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void pageRequestWithHugeHeaderIsRejectedWithoutServerError() {
        Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve("/login"))
                .header("X-Filler", "y".repeat(20_000)).GET().build());
        assertThat(response.status()).isBetween(400, 499);
    }

    @Test
    void errorPageAskedForDirectlyIsANotFoundPage() {
        for (String accept : List.of("text/html", "application/json", "image/png")) {
            Browser.Response response = browser.get("/error", "Accept", accept);
            assertThat(response.status()).as(accept).isEqualTo(404);
            assertThat(response.header("Content-Type")).startsWith("text/html");
            assertThat(response.body()).contains("There is nothing here.");
        }
    }

    @Test
    void errorPagesAreHtmlWhateverTheAcceptHeaderSays() {
        for (String accept : List.of("application/json", "image/png", "garbage", "text/plain")) {
            Browser.Response response = browser.postForm("/login", Map.of("username", email, "password", PASSWORD),
                    "Accept", accept);
            assertThat(response.status()).as(accept).isEqualTo(403);
            assertThat(response.header("Content-Type")).as(accept).startsWith("text/html");
            assertThat(response.body()).contains("Not allowed");
        }
    }

    @Test
    void parametersThatCannotBeDecodedGetAFriendly400PageAndNoErrorInTheLog() {
        try (LogCapture log = LogCapture.open()) {
            List<RawHttp.Answer> answers = List.of(
                    RawHttp.exchange(new RawHttp.Request("GET", "/login?lang=%zz").header("Accept", "text/html").noBody()),
                    RawHttp.exchange(new RawHttp.Request("GET", "/login?lang=%FF%FE").header("Accept", "text/html").noBody()),
                    RawHttp.exchange(new RawHttp.Request("GET", "/register?%E0%A4=x").noBody()),
                    RawHttp.exchange(new RawHttp.Request("POST", "/register")
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .body(new byte[] { 'e', 'm', 'a', 'i', 'l', '=', (byte) 0xff, (byte) 0xc0 })),
                    RawHttp.exchange(new RawHttp.Request("POST", "/forgot-password")
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .body("email=%".getBytes(StandardCharsets.ISO_8859_1))),
                    RawHttp.exchange(new RawHttp.Request("POST", "/login")
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .body(manyParameters(1001))));
            for (RawHttp.Answer answer : answers) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(400);
                assertThat(answer.contentType()).startsWith("text/html");
                assertThat(answer.body()).contains("This request cannot be used").contains("cannot be read")
                        .doesNotContain("Exception").doesNotContain("Tomcat");
            }
            assertThat(LogCapture.describe(log.errors())).isEmpty();
            assertThat(LogCapture.describe(log.withStackTraces())).isEmpty();
        }
    }

    @Test
    void aRefusalIsLoggedOnOneLineAtDebugWithoutTheParameters() {
        Logger logger = (Logger) LoggerFactory.getLogger(EndpointErrors.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try (LogCapture log = LogCapture.open()) {
            RawHttp.exchange(new RawHttp.Request("POST", "/login?secret=%zz")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body("password=hunter2%".getBytes(StandardCharsets.ISO_8859_1)));
            List<ILoggingEvent> refusals = log.events().stream()
                    .filter(event -> event.getLoggerName().equals(EndpointErrors.class.getName())).toList();
            assertThat(refusals).hasSize(1);
            assertThat(refusals.get(0).getLevel()).isEqualTo(Level.DEBUG);
            assertThat(refusals.get(0).getThrowableProxy()).isNull();
            assertThat(refusals.get(0).getFormattedMessage()).isEqualTo("Refused POST /login with 400: "
                    + "The request's parameters cannot be read (bad encoding, or too many).").doesNotContain("hunter2");
        }
        finally {
            logger.setLevel(level);
        }
    }

    @Test
    void aChunkedFormOverTheBodyLimitIs413NotTheContainersPage() {
        Browser.Response page = browser.get("/login");
        byte[] form = ("username=" + "x".repeat(100_000) + "&password=y&_csrf=" + page.csrf())
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Answer answer = RawHttp.exchange(new RawHttp.Request("POST", "/login")
                .header("Content-Type", "application/x-www-form-urlencoded").chunked(form, 8192));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith("text/html");
        assertThat(answer.body()).contains("The request body is too large.").doesNotContain("Tomcat");
    }

    @Test
    void aChunkedFormWithinTheLimitIsReadAsUsual() {
        RawHttp.Answer page = RawHttp.exchange(new RawHttp.Request("GET", "/login").noBody());
        // no session before sign-in: the form's CSRF token comes in a cookie
        java.util.regex.Matcher session = java.util.regex.Pattern.compile("(latchkey-csrf=[^;]+)")
                .matcher(page.header("Set-Cookie"));
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(session.find() && csrf.find()).isTrue();
        byte[] form = ("username=" + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                + java.net.URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1))
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Answer signedIn = RawHttp.exchange(new RawHttp.Request("POST", "/login")
                .header("Cookie", session.group(1))
                .header("Content-Type", "application/x-www-form-urlencoded").chunked(form, 7));
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.header("Location")).isIn("/", ISSUER + "/");
    }

    @Test
    void aGarbledLanguageCookieIsIgnored() {
        for (String cookie : List.of("latchkey-lang=%zz", "latchkey-lang=de_DE_xx_yy", "latchkey-lang=\"de\"x")) {
            Browser.Response page = browser.get("/login", "Accept", "text/html", "Accept-Language", "de",
                    "Cookie", cookie);
            assertThat(page.status()).as(cookie).isEqualTo(200);
            assertThat(page.body()).as(cookie).contains("lang=\"de\"");
        }
    }

    @Test
    void aHeaderTheFirewallRefusesGetsA400Page() {
        // the firewall looks at a header when something reads it: here, content negotiation reads Accept
        RawHttp.Answer answer = RawHttp.exchange(new RawHttp.Request("GET", "/login")
                .header("Accept", new byte[] { 't', 'e', 'x', 't', '/', 'h', 't', 'm', 'l', (byte) 0x85 }).noBody());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("text/html");
        assertThat(answer.body()).contains("This request cannot be used");
    }

    static byte[] manyParameters(int count) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < count; i++) {
            form.append(i == 0 ? "" : "&").append('p').append(i).append("=1");
        }
        return form.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
