package io.latchkey.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.PostgresTestDatabase;
import io.latchkey.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances started at the same moment on a new, empty database (as `docker compose up` does): both come up,
 * one of them creates the first administrator and the declared clients, and neither trips over the other.
 */
class SimultaneousStartTest {

    private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

    @Test
    void twoInstancesStartingTogetherOnANewDatabaseBothServe() throws Exception {
        String database = PostgresTestDatabase.create();
        List<ConfigurableApplicationContext> instances = new ArrayList<>();
        try {
            Map<String, Object> settings = Map.of(
                    "latchkey.db.url", PostgresTestDatabase.url(database),
                    "latchkey.bootstrap.admin-email", "first-admin@latchkey.test");
            // Spring Boot sets up logging once per JVM: two applications doing it at the same moment trip over each
            // other. The instances log through the test's own logging instead; the database work still races.
            String loggingSystem = System.setProperty(LOGGING_SYSTEM, "none");
            CountDownLatch ready = new CountDownLatch(2);
            CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture.supplyAsync(() -> {
                ready.countDown();
                awaitQuietly(ready);
                return SecondInstance.start(settings);
            });
            CompletableFuture<ConfigurableApplicationContext> second = CompletableFuture.supplyAsync(() -> {
                ready.countDown();
                awaitQuietly(ready);
                return SecondInstance.start(settings);
            });
            try {
                CompletableFuture.allOf(first, second).exceptionally(failure -> null).join();
            }
            finally {
                if (loggingSystem == null) {
                    System.clearProperty(LOGGING_SYSTEM);
                }
                else {
                    System.setProperty(LOGGING_SYSTEM, loggingSystem);
                }
            }
            if (!first.isCompletedExceptionally()) {
                instances.add(first.join());
            }
            if (!second.isCompletedExceptionally()) {
                instances.add(second.join());
            }
            assertThat(first).isCompleted().isNotCompletedExceptionally();
            assertThat(second).isCompleted().isNotCompletedExceptionally();

            HttpClient http = HttpClient.newHttpClient();
            for (ConfigurableApplicationContext instance : instances) {
                HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(
                        URI.create(SecondInstance.baseUrl(instance) + "/oauth2/jwks")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(jwks.statusCode()).isEqualTo(200);
                assertThat(jwks.body()).contains("\"kid\"");
            }
            try (Connection connection = DriverManager.getConnection(PostgresTestDatabase.url(database),
                    PostgresTestDatabase.user(), PostgresTestDatabase.password());
                    Statement statement = connection.createStatement()) {
                assertThat(count(statement, "select count(*) from users where email = 'first-admin@latchkey.test'"))
                        .isEqualTo(1);
                assertThat(count(statement, "select count(*) from oauth2_registered_client"))
                        .isEqualTo(count(statement, "select count(distinct client_id) from oauth2_registered_client"))
                        .isPositive();
            }
        }
        finally {
            instances.forEach(ConfigurableApplicationContext::close);
            PostgresTestDatabase.drop(database);
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
