package io.latchkey.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import io.latchkey.support.OAuth;
import io.latchkey.support.PostgresTestDatabase;
import io.latchkey.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an instance comes and goes, as an orchestrator sees it: readiness follows the database while liveness
 * does not, and a stop lets the requests in flight finish. Each test runs an instance of its own
 * ({@link SecondInstance}), since it stops it or cuts it off from the database.
 */
class LifecycleTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachableAndLivenessIsNot() throws Exception {
        try (TcpProxy database = TcpProxy.toPostgres();
                ConfigurableApplicationContext instance = SecondInstance.start(Map.of("latchkey.db.url",
                        PostgresTestDatabase.sharedUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + database.port() + "/")))) {
            String base = SecondInstance.baseUrl(instance);
            assertThat(health(base, "readiness")).isEqualTo(200);
            assertThat(health(base, "liveness")).isEqualTo(200);

            database.cut();
            assertThat(eventually(() -> health(base, "readiness"), status -> status == 503))
                    .as("readiness once the database is gone").isEqualTo(503);
            assertThat(health(base, "liveness")).as("liveness does not depend on the database").isEqualTo(200);

            database.restore();
            assertThat(eventually(() -> health(base, "readiness"), status -> status == 200))
                    .as("readiness once the database is back, without a restart").isEqualTo(200);
        }
    }

    @Test
    void healthAndMetricsCanMoveToAPortOfTheirOwn() throws Exception {
        int managementPort;
        try (ServerSocket free = new ServerSocket(0)) {
            managementPort = free.getLocalPort();
        }
        try (ConfigurableApplicationContext instance = SecondInstance.start(Map.of("latchkey.management.port",
                managementPort, "management.server.address", "127.0.0.1"))) {
            String base = SecondInstance.baseUrl(instance);
            String management = "http://127.0.0.1:" + managementPort;
            assertThat(eventually(() -> health(management, "readiness"), status -> status == 200)).isEqualTo(200);
            assertThat(health(management, "liveness")).isEqualTo(200);
            assertThat(get(management + "/actuator/prometheus").statusCode()).isEqualTo(200);
            assertThat(get(management + "/actuator/prometheus").body()).contains("latchkey_signing_key_age_seconds");
            for (String elsewhere : List.of(management + "/actuator/env", management + "/login", management + "/",
                    base + "/actuator/health", base + "/actuator/prometheus")) {
                assertThat(get(elsewhere).statusCode()).as(elsewhere).isEqualTo(403);
            }
            assertThat(get(base + "/login").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aStopLetsARequestInFlightFinish() throws Exception {
        SlowEndpoint.reset();
        ConfigurableApplicationContext instance = SecondInstance.start(Map.of("latchkey.shutdown-timeout", "30s"),
                SlowEndpoint.class);
        String base = SecondInstance.baseUrl(instance);
        int port = URI.create(base).getPort();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create(base + SlowEndpoint.PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(SlowEndpoint.entered.await(30, TimeUnit.SECONDS)).as("the slow request is being served").isTrue();

        Thread stopping = new Thread(instance::close, "stopping-instance");
        stopping.start();
        assertThat(SlowEndpoint.closing.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(eventually(() -> accepts(port) ? 1 : 0, accepting -> accepting == 0))
                .as("new connections are refused while the server stops").isZero();
        assertThat(slow).as("the request in flight is not cut off").isNotDone();
        assertThat(stopping.isAlive()).as("the stop waits for it").isTrue();

        SlowEndpoint.release.countDown();
        HttpResponse<String> response = slow.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("done");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        stopping.join(30_000);
        assertThat(stopping.isAlive()).isFalse();
        assertThat(instance.isActive()).isFalse();
    }

    private int health(String base, String probe) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/" + probe))
                    .timeout(Duration.ofSeconds(20)).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String status = OAuth.json(response.body()).get("status").asString();
            if (response.statusCode() == 200) {
                assertThat(status).isEqualTo("UP");
            }
            else {
                assertThat(status).isIn("DOWN", "OUT_OF_SERVICE");
            }
            return response.statusCode();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        }
        catch (IOException refused) {
            return false;
        }
    }

    /** Asks until the answer is the expected one, for 30 seconds at most; returns the last answer. */
    private static int eventually(java.util.function.IntSupplier ask, Predicate<Integer> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int answer = ask.getAsInt();
        while (!expected.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answer = ask.getAsInt();
        }
        return answer;
    }

    /**
     * A test-only endpoint that answers only once the test lets it, and notes when the context starts closing.
     * Not a {@code @Configuration}, so that no component scan ever picks it up: only the instance that is given it.
     */
    static class SlowEndpoint {

        static final String PATH = "/static/slow-for-a-test";
        static volatile CountDownLatch entered;
        static volatile CountDownLatch closing;
        static volatile CountDownLatch release;

        static void reset() {
            entered = new CountDownLatch(1);
            closing = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }

        @Bean
        RouterFunction<ServerResponse> slowForATest() {
            return RouterFunctions.route().GET(PATH, request -> {
                entered.countDown();
                release.await(60, TimeUnit.SECONDS);
                return ServerResponse.ok().body("done");
            }).build();
        }

        @Bean
        ApplicationListener<ContextClosedEvent> noteClosing() {
            return event -> closing.countDown();
        }
    }

    /** A TCP proxy to the test PostgreSQL server that the test can cut off (connections dropped and refused). */
    static final class TcpProxy implements AutoCloseable {

        private final ServerSocket server;
        private final String targetHost;
        private final int targetPort;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile boolean cut;

        private TcpProxy(String targetHost, int targetPort) throws IOException {
            this.targetHost = targetHost;
            this.targetPort = targetPort;
            this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "test-db-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static TcpProxy toPostgres() throws IOException {
            URI target = URI.create(PostgresTestDatabase.sharedUrl().substring("jdbc:".length()));
            return new TcpProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
        }

        int port() {
            return server.getLocalPort();
        }

        void cut() {
            cut = true;
            open.forEach(LifecycleTest::closeQuietly);
            open.clear();
        }

        void restore() {
            cut = false;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (cut) {
                        client.close();
                        continue;
                    }
                    Socket upstream = new Socket(targetHost, targetPort);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                }
                catch (IOException ex) {
                    // closed, or the database refused: the client sees its connection end
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                }
                catch (IOException ended) {
                    // one side closed
                }
                finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "test-db-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            closeQuietly(server);
            cut();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // already closed
        }
    }
}
