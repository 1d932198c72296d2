package io.latchkey.production;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.PostgresTestDatabase;
import io.latchkey.support.RawHttp;
import io.latchkey.support.RawHttp.Answer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole Latchkey in production mode, on a database of its own, behind a reverse proxy at 127.0.0.2 (the only
 * trusted proxy): it starts with safe settings, sends HSTS on every response, sets only Secure {@code __Host-}
 * cookies, and believes forwarded headers from the proxy only. Requests from 127.0.0.1 play a client that reaches
 * Latchkey directly and forges those headers.
 */
class ProductionModeTest {

    private static final String PROXY = "127.0.0.2";
    private static final String DIRECT = "127.0.0.1";
    private static final String PUBLIC_HOST = "id.latchkey.test";
    private static final String ADMIN = "admin@latchkey.test";
    private static final String ADMIN_PASSWORD = "production admin passphrase 2026";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private static final String HSTS = "max-age=31536000 ; includeSubDomains";

    private static String database;
    private static ConfigurableApplicationContext server;
    private static int port;

    @BeforeAll
    static void startInProductionMode() {
        database = PostgresTestDatabase.create();
        Map<String, Object> settings = ProductionSettings.safe();
        settings.put("latchkey.db.url", PostgresTestDatabase.url(database));
        settings.put("latchkey.db.user", PostgresTestDatabase.user());
        settings.put("latchkey.db.password", PostgresTestDatabase.password());
        settings.put("latchkey.issuer", "https://" + PUBLIC_HOST);
        settings.put("latchkey.rate-limit.trusted-proxies", PROXY);
        settings.put("latchkey.bootstrap.admin-email", ADMIN);
        settings.put("latchkey.bootstrap.admin-password", ADMIN_PASSWORD);
        server = ProductionSettings.start(settings);
        port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        PostgresTestDatabase.drop(database);
    }

    @Test
    void everyResponseCarriesHsts() {
        for (String peer : List.of(PROXY, DIRECT)) {
            for (String path : List.of("/.well-known/openid-configuration", "/login", "/no-such-page",
                    "/oauth2/token")) {
                Answer answer = send(peer, "GET", path, proxied(), null);
                assertThat(answer.status()).as(peer + " " + path).isBetween(200, 499);
                assertThat(answer.headers().get("strict-transport-security")).as(peer + " " + path)
                        .containsExactly(HSTS);
            }
        }
        Answer discovery = send(DIRECT, "GET", "/.well-known/openid-configuration", Map.of(), null);
        assertThat(discovery.body()).contains("\"issuer\":\"https://" + PUBLIC_HOST + "\"");
    }

    @Test
    void everyCookieIsSecureAndHostOnly() {
        // an anonymous visitor gets no session, only the sign-in form's CSRF token and the page to come back to
        Answer protectedPage = send(PROXY, "GET", "/account", proxied(), null);
        assertThat(protectedPage.status()).isEqualTo(302);
        String returnTo = setCookie(protectedPage, "__Host-latchkey-return-to");
        Answer loginPage = send(PROXY, "GET", "/login?lang=de", proxied(), null);
        assertThat(loginPage.status()).isEqualTo(200);
        String csrfCookie = setCookie(loginPage, "__Host-latchkey-csrf");
        String language = setCookie(loginPage, "__Host-latchkey-lang");
        assertThat(language).startsWith("__Host-latchkey-lang=de;");

        Map<String, String> headers = proxied();
        headers.put("Cookie", nameAndValue(csrfCookie) + "; " + nameAndValue(returnTo));
        Answer signedIn = send(PROXY, "POST", "/login", headers,
                form("username", ADMIN, "password", ADMIN_PASSWORD, "_csrf", csrf(loginPage)));
        assertThat(signedIn.location()).isEqualTo("https://" + PUBLIC_HOST + "/account");
        String device = setCookie(signedIn, "__Host-latchkey_device");
        String session = setCookie(signedIn, "__Host-JSESSIONID");

        for (String cookie : List.of(returnTo, csrfCookie, language, device, session)) {
            assertThat(cookie).as(cookie).contains("; Secure").contains("; Path=/").contains("; HttpOnly")
                    .doesNotContainIgnoringCase("Domain=");
        }
        // over plain HTTP, straight from a client, the cookies are Secure just the same
        Answer direct = send(DIRECT, "GET", "/login", Map.of(), null);
        assertThat(setCookie(direct, "__Host-latchkey-csrf")).contains("; Secure").contains("; Path=/");
        for (Answer answer : List.of(protectedPage, loginPage, signedIn, direct)) {
            assertThat(answer.headers().getOrDefault("set-cookie", List.of()))
                    .allSatisfy(cookie -> assertThat(cookie).startsWith("__Host-").contains("; Secure"));
        }
    }

    @Test
    void forwardedHeadersFromATrustedProxyAreBelieved() {
        String agent = "trusted-" + UUID.randomUUID();
        Map<String, String> headers = proxied();
        headers.put("X-Forwarded-For", "198.51.100.1, 203.0.113.7");
        headers.put("User-Agent", agent);

        Answer failed = failedSignIn(PROXY, headers);

        assertThat(failed.location()).isEqualTo("https://" + PUBLIC_HOST + "/login?error");
        assertThat(auditedClientIp(agent)).as("the rightmost address the proxy added").isEqualTo("203.0.113.7");
    }

    @Test
    void forwardedHeadersFromAnyOtherPeerAreIgnored() {
        String agent = "direct-" + UUID.randomUUID();
        Map<String, String> headers = proxied();
        headers.put("X-Forwarded-Host", "evil.example");
        headers.put("X-Forwarded-Port", "8443");
        headers.put("X-Forwarded-For", "203.0.113.8");
        headers.put("User-Agent", agent);

        Answer failed = failedSignIn(DIRECT, headers);

        assertThat(failed.location()).isEqualTo("http://127.0.0.1:" + port + "/login?error");
        assertThat(auditedClientIp(agent)).isEqualTo(DIRECT);
    }

    private Answer failedSignIn(String peer, Map<String, String> headers) {
        Answer loginPage = send(peer, "GET", "/login", headers, null);
        Map<String, String> withSession = new LinkedHashMap<>(headers);
        withSession.put("Cookie", nameAndValue(setCookie(loginPage, "__Host-latchkey-csrf")));
        Answer failed = send(peer, "POST", "/login", withSession,
                form("username", ADMIN, "password", "not the password", "_csrf", csrf(loginPage)));
        assertThat(failed.status()).isEqualTo(302);
        return failed;
    }

    private static String auditedClientIp(String userAgent) {
        return server.getBean(JdbcTemplate.class).queryForObject(
                "SELECT client_ip FROM audit_events WHERE type = 'LOGIN_FAILED' AND user_agent = ?", String.class,
                userAgent);
    }

    /** What the reverse proxy in front of Latchkey sends along: the request came to it over HTTPS for the public host. */
    private static Map<String, String> proxied() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Forwarded-Proto", "https");
        headers.put("X-Forwarded-Host", PUBLIC_HOST);
        return headers;
    }

    private static Answer send(String peer, String method, String target, Map<String, String> headers, String form) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\nAccept: text/html\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (form != null) {
            request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                    .append(form.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        request.append("\r\n");
        if (form != null) {
            request.append(form);
        }
        return RawHttp.exchangeFrom(peer, "127.0.0.1", port, request.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String setCookie(Answer answer, String name) {
        return answer.headers().getOrDefault("set-cookie", List.of()).stream()
                .filter(cookie -> cookie.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + answer.headers()));
    }

    private static String nameAndValue(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String csrf(Answer page) {
        Matcher matcher = CSRF.matcher(page.body());
        assertThat(matcher.find()).as("a CSRF token on the page").isTrue();
        return matcher.group(1);
    }

    private static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            form.append(i == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }
}
