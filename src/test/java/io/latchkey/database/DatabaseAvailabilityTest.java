package io.latchkey.database;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The outage state machine and how failures are told apart, without a server. */
class DatabaseAvailabilityTest {

    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final AtomicInteger drops = new AtomicInteger();
    private final DatabaseAvailability availability = new DatabaseAvailability(() -> {
        if (!reachable.get()) {
            throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001", new ConnectException("refused"));
        }
    }, drops::incrementAndGet, Duration.ofMillis(100), Duration.ofSeconds(3));

    @AfterEach
    void stop() {
        availability.destroy();
    }

    @Test
    void onlyLostConnectionsCountAsAnOutage() {
        SQLException refused = new SQLException("Connection refused", "08001");
        assertThat(DatabaseFailures.isConnectionFailure(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("latchkey - Connection is not available", "08001", refused))))
                .as("the pool timed out because connecting failed").isTrue();
        assertThat(DatabaseFailures.isConnectionFailure(new DataAccessResourceFailureException("I/O",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        assertThat(DatabaseFailures.isConnectionFailure(new SQLException("terminating connection due to "
                + "administrator command", "57P01"))).as("the server shuts down").isTrue();

        assertThat(DatabaseFailures.isConnectionFailure(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("latchkey - Connection is not available"))))
                .as("every connection in use: overload, not an outage").isFalse();
        assertThat(DatabaseFailures.isConnectionFailure(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseFailures.isConnectionFailure(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void oneBrokenConnectionIsNotAnOutage() throws Exception {
        assertThat(availability.reportFailure(new SQLException("connection reset", "08006"))).isTrue();
        Thread.sleep(300);
        assertThat(availability.isAvailable()).as("a fresh connection worked").isTrue();
        assertThat(drops.get()).isZero();
        assertThat(availability.reportFailure(new SQLException("duplicate key", "23505"))).isFalse();
    }

    @Test
    void anOutageClosesTheGateUntilAFreshConnectionWorks() throws Exception {
        reachable.set(false);
        availability.reportFailure(new SQLException("Connection refused", "08001"));
        eventually(() -> !availability.isAvailable());
        // the gate closes first, then the pool is dropped: wait for that step before counting
        eventually(() -> drops.get() > 0);
        assertThat(drops.get()).as("pooled connections are given up").isEqualTo(1);

        reachable.set(true);
        eventually(availability::isAvailable);
        assertThat(drops.get()).as("and the ones from before the outage again on recovery").isEqualTo(2);
    }

    @Test
    void whileUnavailableEveryRequestIsAnswered503InItsFormatWithoutReachingTheApplication() throws Exception {
        reachable.set(false);
        availability.reportFailure(new SQLException("Connection refused", "08001"));
        eventually(() -> !availability.isAvailable());
        DatabaseOutageFilter filter = new DatabaseOutageFilter(availability);

        MockHttpServletResponse token = run(filter, "/oauth2/token");
        assertThat(token.getStatus()).isEqualTo(503);
        assertThat(token.getHeader("Retry-After")).isEqualTo("3");
        assertThat(token.getContentType()).startsWith("application/json");
        assertThat(token.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");

        MockHttpServletResponse api = run(filter, "/api/v1/users/me");
        assertThat(api.getStatus()).isEqualTo(503);
        assertThat(api.getContentType()).startsWith("application/problem+json");

        MockHttpServletResponse page = run(filter, "/login");
        assertThat(page.getStatus()).isEqualTo(503);
        assertThat(page.getHeader("Retry-After")).isEqualTo("3");
    }

    @Test
    void aConnectionFailureEscapingTheApplicationBecomes503AndIsReported() throws Exception {
        reachable.set(false);
        DatabaseOutageFilter filter = new DatabaseOutageFilter(availability);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setServletPath("/oauth2/token");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            throw new DataAccessResourceFailureException("I/O", new SQLException("I/O error", "08006"));
        });
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).contains("temporarily_unavailable").doesNotContain("Exception");
        eventually(() -> !availability.isAvailable());
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static MockHttpServletResponse run(DatabaseOutageFilter filter, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServletPath(path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        assertThat(chain.getRequest()).as("the request never reached the application").isNull();
        return response;
    }
}
