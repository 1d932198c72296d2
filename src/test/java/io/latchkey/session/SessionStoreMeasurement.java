package io.latchkey.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;

/**
 * The measurement behind docs/sessions.md: what keeping sessions in PostgreSQL costs against keeping them in
 * memory. Not part of the suite; run it with
 * {@code ./mvnw -q test -Dtest=SessionStoreMeasurement -Dsessions.measure=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints numbers and asserts nothing.
 *
 * <ol>
 * <li>The session work of one request, alone: load a signed-in session (security context, CSRF token, sign-in
 * details), touch it, save it; Latchkey's JDBC store against Spring Session's in-memory map, same session.</li>
 * <li>Whole requests: a signed-in GET /account and a GET /oauth2/authorize that is answered with a code, one and
 * eight browsers at once, with the PostgreSQL statements and transactions each request costs
 * (pg_stat_database).</li>
 * </ol>
 */
@IntegrationTest
@EnabledIfSystemProperty(named = "sessions.measure", matches = "true")
class SessionStoreMeasurement extends UsersInDatabaseTest {

    private static final int STORE_ROUNDS = 5_000;
    private static final int REQUESTS = 1_000;

    @Autowired
    SharedSessions sessions;

    @Test
    void measure() throws Exception {
        String email = TestUsers.uniqueEmail("measure");
        UUID userId = TestUsers.create(jdbc, passwordEncoder, email, "measuring the session store", null);
        Browser browser = new Browser();
        SessionTestSupport.signIn(browser, ISSUER, email, "measuring the session store");
        browser.get("/account"); // the CSRF token joins the session
        String id = sessions.findByPrincipalName(userId.toString()).keySet().iterator().next();

        Session stored = sessions.findById(id);
        MapSession copy = new MapSession(stored.getId());
        stored.getAttributeNames().forEach(name -> copy.setAttribute(name, stored.getAttribute(name)));
        MapSessionRepository memory = new MapSessionRepository(new java.util.concurrent.ConcurrentHashMap<>());
        memory.save(copy);

        System.out.println("== Session work of one request (load, touch, save), " + STORE_ROUNDS + " rounds");
        System.out.printf("in memory : %s%n", storeRounds(() -> {
            MapSession session = memory.findById(id);
            session.setLastAccessedTime(Instant.now());
            memory.save(session);
        }));
        System.out.printf("PostgreSQL: %s%n", storeRounds(() -> {
            Session session = sessions.findById(id);
            session.setLastAccessedTime(Instant.now());
            sessions.save(session);
        }));

        String authorize = io.latchkey.support.CodeFlow.authorizeUrl(io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT,
                io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT, "openid", "m",
                io.latchkey.support.OAuth.randomVerifier());
        System.out.println("== Whole requests on the test server (sessions in PostgreSQL), " + REQUESTS + " each");
        for (int browsers : new int[] { 1, 8 }) {
            System.out.printf("GET /account, %d browser(s): %s%n", browsers, requests(browsers, email, "/account"));
            System.out.printf("GET /oauth2/authorize (answered with a code), %d browser(s): %s%n", browsers,
                    requests(browsers, email, authorize));
        }
    }

    private static String storeRounds(Runnable round) {
        for (int i = 0; i < 500; i++) {
            round.run();
        }
        long[] nanos = new long[STORE_ROUNDS];
        for (int i = 0; i < STORE_ROUNDS; i++) {
            long start = System.nanoTime();
            round.run();
            nanos[i] = System.nanoTime() - start;
        }
        return percentiles(nanos);
    }

    private String requests(int browsers, String email, String path) throws Exception {
        List<Browser> signedIn = new ArrayList<>();
        for (int i = 0; i < browsers; i++) {
            Browser browser = new Browser();
            SessionTestSupport.signIn(browser, ISSUER, email, "measuring the session store");
            for (int warm = 0; warm < 50; warm++) {
                browser.get(path);
            }
            signedIn.add(browser);
        }
        Map<String, Object> before = databaseCounters();
        ExecutorService pool = Executors.newFixedThreadPool(browsers);
        long[] nanos = new long[REQUESTS];
        long wallStart = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int b = 0; b < browsers; b++) {
            Browser browser = signedIn.get(b);
            int first = b;
            work.add(pool.submit(() -> {
                for (int i = first; i < REQUESTS; i += browsers) {
                    long start = System.nanoTime();
                    Browser.Response response = browser.get(path);
                    nanos[i] = System.nanoTime() - start;
                    if (response.status() >= 400) {
                        throw new IllegalStateException(path + " answered " + response.status());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        long wall = System.nanoTime() - wallStart;
        pool.shutdown();
        Map<String, Object> after = databaseCounters();
        StringBuilder perRequest = new StringBuilder();
        for (String counter : after.keySet()) {
            double delta = ((Number) after.get(counter)).doubleValue() - ((Number) before.get(counter)).doubleValue();
            perRequest.append(String.format(" %s/req=%.2f", counter, delta / REQUESTS));
        }
        return percentiles(nanos) + String.format(" throughput=%.0f req/s", REQUESTS / (wall / 1e9)) + perRequest;
    }

    /** Counters of the test database; stats are flushed by a backend at transaction end, so a pause first. */
    private Map<String, Object> databaseCounters() throws InterruptedException {
        Thread.sleep(1_100);
        jdbc.execute("SELECT pg_stat_clear_snapshot()");
        return jdbc.queryForMap("SELECT xact_commit AS transactions, tup_returned + tup_fetched AS rows_read, "
                + "tup_inserted AS inserted, tup_updated AS updated, tup_deleted AS deleted "
                + "FROM pg_stat_database WHERE datname = current_database()");
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50=%.3f ms p95=%.3f ms p99=%.3f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.95)] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
}
