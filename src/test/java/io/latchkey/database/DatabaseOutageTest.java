package io.latchkey.database;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.LogCapture;
import io.latchkey.support.OAuth;
import io.latchkey.support.PostgresTestDatabase;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TcpProxy;
import io.latchkey.support.TestUsers;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A whole Latchkey instance whose database connections go through a TCP proxy the test controls. Mid-run the
 * database is taken away, as a stopped server (every connection reset, new ones refused) and as a network that
 * swallows packets (nothing answered, nothing closed). While it is away, a hosted page, the token endpoint, the
 * API and the authorization endpoint each answer 503 in their own format within a second (the client's read
 * timeout); when it is back, the same instance serves again without a restart. Registrations keep coming
 * through it all, and every one that was acknowledged is in the database afterwards.
 */
class DatabaseOutageTest {

    /** The bound on an answer while the database is away: the client gives up after it. */
    private static final Duration FAST = Duration.ofSeconds(1);
    /** Longer than any wait the server bounds (connection, socket and login timeouts): no answer by then is a hang. */
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final String RETRY_AFTER = "3";

    private static String database;
    private static TcpProxy proxy;
    private static ConfigurableApplicationContext instance;
    private static String base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startBehindAProxy() {
        database = PostgresTestDatabase.create();
        proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port());
        // Flyway needs the database at start-up: it is only taken away afterwards
        instance = SecondInstance.start(Map.of(
                "latchkey.db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database,
                "latchkey.db.connect-timeout", "1s",
                "latchkey.db.socket-timeout", "2s",
                "latchkey.db.outage-probe-interval", "200ms",
                "latchkey.db.outage-retry-after", RETRY_AFTER + "s",
                // a background job that reads the database every half second runs all through the outage
                "latchkey.tokens.revocation-poll-interval", "500ms",
                // registrations hash passwords on a small shared machine: they wait for hashing rather than get 503
                "latchkey.passwords.max-wait-ms", "10000"));
        base = SecondInstance.baseUrl(instance);
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            PostgresTestDatabase.drop(database);
        }
    }

    @Test
    void aDatabaseServerThatStopsIsAnswered503FastAndServiceReturnsWithIt() throws Exception {
        throughAnOutage(proxy::cut);
    }

    @Test
    void aNetworkThatSwallowsEveryPacketIsAnswered503FastAndServiceReturnsWithIt() throws Exception {
        throughAnOutage(proxy::blackHole);
    }

    private void throughAnOutage(Runnable takeTheDatabaseAway) throws Exception {
        everyEndpointServes();
        try (LogCapture log = LogCapture.open(); Registrations registrations = new Registrations(2)) {
            registrations.awaitAcknowledged(2);

            takeTheDatabaseAway.run();
            // requests that were already waiting for the database when it went away get their 503 within the
            // connection and socket timeouts; once the outage is noticed, every request gets it at once
            awaitStatus("/login", 503);
            everyEndpointAnswers503InItsFormatWithinASecond();
            Thread.sleep(1500); // registrations and background jobs keep trying meanwhile
            everyEndpointAnswers503InItsFormatWithinASecond();
            int acknowledgedDuringTheOutage = registrations.acknowledged.size();

            proxy.resume();
            awaitStatus("/login", 200);
            everyEndpointServes();
            registrations.awaitAcknowledged(acknowledgedDuringTheOutage + 2);
            registrations.close();

            assertThat(registrations.unexpected).as("every registration was answered 202 or 503, none hung").isEmpty();
            assertThat(registrations.refused.get()).as("registrations ran into the outage").isPositive();
            assertThat(missingFromTheDatabase(registrations.acknowledged))
                    .as("every acknowledged registration (of %d) is in the database", registrations.acknowledged.size())
                    .isEmpty();

            List<ILoggingEvent> outageWarnings = log.events().stream()
                    .filter(event -> event.getLoggerName().equals(DatabaseAvailability.class.getName())
                            && event.getLevel() == Level.WARN)
                    .toList();
            assertThat(outageWarnings).as("the outage is logged once: %s", LogCapture.describe(outageWarnings))
                    .hasSize(1);
            List<ILoggingEvent> latchkeyStackTraces = log.withStackTraces().stream()
                    .filter(event -> event.getLoggerName().startsWith("io.latchkey.")).toList();
            assertThat(latchkeyStackTraces).as("no stack trace per request or job run: %s",
                    LogCapture.describe(latchkeyStackTraces)).isEmpty();
        }
    }

    private void everyEndpointServes() throws Exception {
        assertThat(page(HANG).statusCode()).isEqualTo(200);
        // the error page is rendered (and its template compiled) once before it is timed
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/error")).timeout(HANG).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        HttpResponse<String> token = token(HANG);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(token.body()).contains("access_token");
        assertThat(register(TestUsers.uniqueEmail("outage-check"), HANG).statusCode()).isEqualTo(202);
        HttpResponse<String> authorize = authorize(HANG);
        assertThat(authorize.statusCode()).isEqualTo(302);
        assertThat(authorize.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/login"));
    }

    private void everyEndpointAnswers503InItsFormatWithinASecond() throws Exception {
        HttpResponse<String> page = within(() -> page(FAST), "hosted page");
        assertUnavailable(page, "text/html");
        assertThat(page.body()).contains("id=\"service-unavailable\"");

        HttpResponse<String> token = within(() -> token(FAST), "token endpoint");
        assertUnavailable(token, "application/json");
        assertThat(token.body()).contains("\"error\":\"temporarily_unavailable\"");

        HttpResponse<String> api = within(() -> register(TestUsers.uniqueEmail("outage-api"), FAST), "API");
        assertUnavailable(api, "application/problem+json");
        assertThat(api.body()).contains("\"status\":503");

        HttpResponse<String> authorize = within(() -> authorize(FAST), "authorization endpoint");
        assertUnavailable(authorize, "text/html");
        assertThat(authorize.body()).contains("id=\"service-unavailable\"").contains("temporarily_unavailable");
    }

    private static void assertUnavailable(HttpResponse<String> response, String contentType) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue(RETRY_AFTER);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith(contentType));
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SQL");
    }

    private interface Call {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    private static HttpResponse<String> within(Call call, String what) throws InterruptedException {
        try {
            return call.send();
        }
        catch (HttpTimeoutException slow) {
            return fail(what + " did not answer within " + FAST + " while the database was away");
        }
        catch (IOException ex) {
            return fail(what + " failed: " + ex);
        }
    }

    private HttpResponse<String> page(Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/login")).timeout(timeout)
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(Duration timeout) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((CONFIDENTIAL_CLIENT + ":" + CONFIDENTIAL_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token")).timeout(timeout)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=api.read")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> authorize(Duration timeout) throws IOException, InterruptedException {
        String query = "response_type=code&client_id=" + CONFIDENTIAL_CLIENT + "&redirect_uri=" + CONFIDENTIAL_REDIRECT
                + "&scope=openid&state=outage&code_challenge=" + OAuth.challenge("outage-verifier-0123456789-0123456789-0123")
                + "&code_challenge_method=S256";
        return http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/authorize?" + query)).timeout(timeout)
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> register(String email, Duration timeout) throws IOException, InterruptedException {
        String body = "{\"email\":\"" + email + "\",\"password\":\"outage passphrase " + email.hashCode()
                + " 7Qx\",\"name\":\"Outage Test\"}";
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/register")).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(HANG).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == status) {
                    return;
                }
            }
            catch (IOException ex) {
                last = -1;
            }
            Thread.sleep(100);
        }
        fail(path + " never answered " + status + " (last: " + last + ")");
    }

    private static List<String> missingFromTheDatabase(List<String> emails) throws Exception {
        List<String> missing = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(PostgresTestDatabase.url(database),
                PostgresTestDatabase.user(), PostgresTestDatabase.password());
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM users WHERE email = ?")) {
            for (String email : emails) {
                query.setString(1, email);
                try (ResultSet result = query.executeQuery()) {
                    result.next();
                    if (result.getInt(1) != 1) {
                        missing.add(email);
                    }
                }
            }
        }
        return missing;
    }

    /** Registrations through the API, one after another on each of a few threads, until closed. */
    private final class Registrations implements AutoCloseable {

        final List<String> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final AtomicInteger refused = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads;

        Registrations(int count) {
            threads = Executors.newFixedThreadPool(count);
            for (int i = 0; i < count; i++) {
                threads.submit(this::keepRegistering);
            }
        }

        private void keepRegistering() {
            while (running.get()) {
                String email = TestUsers.uniqueEmail("outage");
                try {
                    HttpResponse<String> answer = register(email, HANG);
                    if (answer.statusCode() == 202) {
                        acknowledged.add(email);
                    }
                    else if (answer.statusCode() == 503 && !answer.body().contains("Exception")) {
                        refused.incrementAndGet();
                        Thread.sleep(100);
                    }
                    else {
                        unexpected.add(answer.statusCode() + " " + answer.body());
                    }
                }
                catch (HttpTimeoutException hang) {
                    unexpected.add("no answer within " + HANG + " for " + email);
                }
                catch (IOException ex) {
                    unexpected.add(email + ": " + ex);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }

        void awaitAcknowledged(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (acknowledged.size() < count) {
                assertThat(System.nanoTime()).as("%d registrations acknowledged in time (problems: %s)", count,
                        unexpected).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(HANG.toSeconds() + 10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
