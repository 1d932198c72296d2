package io.latchkey.ops;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.LogCapture;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;
import io.latchkey.tokens.AuthorizationPurge;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_SIGN_INS_PER_IP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, metrics and request ids on the whole server: what a load balancer, a Prometheus scraper and an
 * operator reading the log see.
 */
@IntegrationTest
class OperationsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "operations-password-0123";

    private final Browser browser = new Browser();

    @Autowired
    private AuthorizationPurge purge;

    @Test
    void healthLivenessAndReadinessAnswerAnyone() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            // from an address that may not scrape metrics: a load balancer elsewhere in the network
            Browser.Response health = browser.get(path, "Accept", "application/json", "X-Forwarded-For", "198.51.100.7");
            assertThat(health.status()).as(path).isEqualTo(200);
            assertThat(OAuth.json(health).get("status").asString()).as(path).isEqualTo("UP");
            assertThat(health.body()).as("no details for anyone").doesNotContain("components", "PostgreSQL", "details");
            assertThat(health.header("Set-Cookie")).isNull();
        }
    }

    @Test
    void nothingElseOfTheActuatorIsThere() {
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/metrics",
                "/actuator/info", "/actuator/loggers", "/actuator/heapdump", "/actuator/threaddump",
                "/actuator/configprops", "/actuator/mappings", "/actuator/shutdown", "/actuator/health/db")) {
            Browser.Response response = browser.get(path, "Accept", "application/json");
            assertThat(response.status()).as(path).isIn(403, 404);
            assertThat(response.body()).as(path).doesNotContain("latchkey.master-key", "systemProperties");
        }
    }

    @Test
    void metricsAreOnlyForAllowedNetworks() {
        assertThat(browser.get("/actuator/prometheus", "Accept", "text/plain").status()).isEqualTo(200);
        // loopback is a trusted proxy in the tests: the client is the address it forwards for
        Browser.Response outside = browser.get("/actuator/prometheus", "Accept", "text/plain",
                "X-Forwarded-For", "203.0.113.77");
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.body()).doesNotContain("latchkey_");
    }

    @Test
    void prometheusShowsTheNamedMetricsAfterAFewFlowsAndNoSecrets() {
        String email = TestUsers.uniqueEmail("metrics");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Metrics User");

        Browser.Response clientCredentials = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET, Map.of("grant_type", "client_credentials", "scope", "api.read"));
        assertThat(clientCredentials.status()).isEqualTo(200);
        Browser.Response passwordGrant = OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                Map.of("grant_type", "password", "username", email, "password", PASSWORD, "scope", "openid"));
        assertThat(passwordGrant.status()).as(passwordGrant.body()).isEqualTo(200);
        String wrongPassword = "wrong-" + PASSWORD;
        assertThat(OAuth.post(browser, "/oauth2/token", FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET,
                Map.of("grant_type", "password", "username", email, "password", wrongPassword)).status())
                .isEqualTo(400);
        assertThat(browser.signIn(email, PASSWORD).location()).doesNotContain("error");
        String ip = "203.0.113.201";
        untilRateLimited(i -> apiLogin(ip, TestUsers.uniqueEmail("nobody"), wrongPassword));
        purge.purge();

        String scraped = scrape();
        assertThat(sample(scraped, "latchkey_tokens_issued_total", "client_id=\"" + CONFIDENTIAL_CLIENT + "\"",
                "grant_type=\"client_credentials\"", "token_type=\"access_token\"")).isPositive();
        assertThat(sample(scraped, "latchkey_tokens_issued_total", "client_id=\"" + FIRST_PARTY_CLIENT + "\"",
                "grant_type=\"password\"", "token_type=\"refresh_token\"")).isPositive();
        assertThat(sample(scraped, "latchkey_tokens_issued_total", "client_id=\"" + FIRST_PARTY_CLIENT + "\"",
                "grant_type=\"password\"", "token_type=\"id_token\"")).isPositive();
        assertThat(sample(scraped, "latchkey_sign_ins_total", "entrance=\"password_grant\"", "outcome=\"success\""))
                .isPositive();
        assertThat(sample(scraped, "latchkey_sign_ins_total", "entrance=\"password_grant\"",
                "outcome=\"bad_credentials\"")).isPositive();
        assertThat(sample(scraped, "latchkey_sign_ins_total", "entrance=\"hosted_page\"", "outcome=\"success\""))
                .isPositive();
        assertThat(sample(scraped, "latchkey_sign_ins_total", "entrance=\"api\"", "outcome=\"bad_credentials\""))
                .isPositive();
        assertThat(sample(scraped, "latchkey_sign_ins_total", "entrance=\"api\"", "outcome=\"rate_limited\""))
                .isPositive();
        assertThat(sample(scraped, "latchkey_rate_limit_rejections_total", "limit=\"sign_in_per_ip\"")).isPositive();
        assertThat(sample(scraped, "latchkey_admission_queue")).isNotNegative();
        assertThat(sample(scraped, "latchkey_admission_rejections_total")).isNotNegative();
        assertThat(sample(scraped, "latchkey_admission_max_concurrent")).isPositive();
        assertThat(sample(scraped, "latchkey_signing_key_age_seconds")).isNotNegative();
        assertThat(sample(scraped, "latchkey_purge_deleted_total", "kind=\"authorizations\"")).isNotNegative();
        assertThat(sample(scraped, "latchkey_purge_deleted_total", "kind=\"revoked_access_tokens\"")).isNotNegative();
        assertThat(sample(scraped, "hikaricp_connections_active", "pool=\"latchkey\"")).isNotNegative();
        assertThat(sample(scraped, "hikaricp_connections_max", "pool=\"latchkey\"")).isPositive();

        JsonNode tokens = OAuth.json(passwordGrant);
        assertThat(scraped).doesNotContain(tokens.get("access_token").asString(),
                tokens.get("refresh_token").asString(), tokens.get("id_token").asString(),
                OAuth.json(clientCredentials).get("access_token").asString(), PASSWORD, wrongPassword,
                CONFIDENTIAL_SECRET, FIRST_PARTY_SECRET, email, ip, "@latchkey.test");
    }

    @Test
    void aSaneRequestIdIsEchoedAndAnInsaneOneReplaced() {
        Browser.Response given = browser.get("/actuator/health", "X-Request-Id", "lb-7f3a:0042");
        assertThat(given.header("X-Request-Id")).isEqualTo("lb-7f3a:0042");

        for (String insane : List.of("has spaces in it", "x".repeat(RequestIds.MAX_LENGTH + 1), "quote\"d",
                "<script>")) {
            Browser.Response replaced = browser.get("/actuator/health", "X-Request-Id", insane);
            assertThat(replaced.header("X-Request-Id")).as(insane).matches("[0-9a-f]{32}");
        }
        Browser.Response generated = browser.get("/login");
        assertThat(generated.header("X-Request-Id")).matches("[0-9a-f]{32}");
        assertThat(browser.get("/login").header("X-Request-Id")).isNotEqualTo(generated.header("X-Request-Id"));
    }

    @Test
    void theErrorPageShowsTheRequestId() {
        Browser.Response page = browser.get("/oauth2/authorize?response_type=code&client_id=no-such-client"
                + "&redirect_uri=http://127.0.0.1/callback&scope=openid", "Accept", "text/html",
                "X-Request-Id", "page-request-1");
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("X-Request-Id")).isEqualTo("page-request-1");
        assertThat(page.body()).contains("id=\"request-id\"").contains("page-request-1");

        // refused at the door, before any application code: the plain page
        Browser.Response refused = browser.get("/%6Cogin", "Accept", "text/html", "X-Request-Id", "refused-request-1");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"request-id\"").contains("refused-request-1");

        Browser.Response notFound = browser.get("/error", "Accept", "text/html");
        String id = notFound.header("X-Request-Id");
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(notFound.body()).contains(id);
    }

    @Test
    void problemResponsesCarryTheRequestId() {
        Browser.Response unauthorized = browser.get("/api/v1/users/me", "Accept", "application/json",
                "X-Request-Id", "problem-request-1");
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.header("X-Request-Id")).isEqualTo("problem-request-1");
        assertThat(OAuth.json(unauthorized).get("requestId").asString()).isEqualTo("problem-request-1");

        Browser.Response invalid = browser.send(HttpRequest.newBuilder(browser.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build());
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(OAuth.json(invalid).get("requestId").asString()).isEqualTo(invalid.header("X-Request-Id"));
    }

    @Test
    void everyLogLineOfARequestCarriesItsId() {
        String ip = "203.0.113.202";
        browser.get("/login"); // the servlet's first-use initialization is logged by the container, not by a request
        try (LogCapture log = LogCapture.open()) {
            untilRateLimited(i -> apiLogin(ip, TestUsers.uniqueEmail("nobody"), "wrong-password", "X-Request-Id",
                    "logged-request-" + i));
            List<ILoggingEvent> overLimit = log.events().stream()
                    .filter(event -> event.getFormattedMessage().contains("over the limit")
                            && event.getFormattedMessage().contains(ip))
                    .toList();
            assertThat(overLimit).isNotEmpty();
            assertThat(overLimit).allSatisfy(event -> assertThat(event.getMDCPropertyMap().get(RequestIds.MDC_KEY))
                    .startsWith("logged-request-"));
            assertThat(log.events()).filteredOn(event -> event.getThreadName().startsWith("http-nio"))
                    .allSatisfy(event -> assertThat(event.getMDCPropertyMap()).containsKey(RequestIds.MDC_KEY));
        }
    }

    /**
     * Signs in wrongly until the client IP's limit answers 429. The limit refills continuously, so on a slow machine
     * it may take a few more attempts than the limit.
     */
    private static void untilRateLimited(java.util.function.IntFunction<Browser.Response> attempt) {
        int status = 0;
        for (int i = 0; i < 4 * RATE_LIMIT_SIGN_INS_PER_IP && status != 429; i++) {
            status = attempt.apply(i).status();
        }
        assertThat(status).as("the client IP's sign-in limit").isEqualTo(429);
    }

    private Browser.Response apiLogin(String ip, String email, String password, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email + "\",\"password\":\""
                        + password + "\"}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return browser.send(request.build());
    }

    private String scrape() {
        Browser.Response scraped = browser.get("/actuator/prometheus", "Accept", "text/plain");
        assertThat(scraped.status()).isEqualTo(200);
        return scraped.body();
    }

    /** The value of the first sample of {@code metric} whose labels include all of {@code labels}; fails if none. */
    static double sample(String scraped, String metric, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(scraped);
        while (matcher.find()) {
            String found = matcher.group(1) == null ? "" : matcher.group(1);
            if (List.of(labels).stream().allMatch(found::contains)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("No sample of " + metric + " with " + List.of(labels) + " in:\n" + scraped.lines()
                .filter(text -> text.startsWith("latchkey_") || text.startsWith("hikaricp_")).toList());
    }
}
