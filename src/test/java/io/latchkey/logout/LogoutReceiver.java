package io.latchkey.logout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A relying party's back-channel logout endpoint: a real HTTP server on 127.0.0.1 that keeps every request
 * it gets, per path, and answers with the status its path's behaviour gives (200 unless told otherwise).
 */
final class LogoutReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, IntSupplier> behaviour = new ConcurrentHashMap<>();

    LogoutReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** From now on, requests to {@code /path} are answered with what {@code status} returns (it may block). */
    void answer(String path, IntSupplier status) {
        behaviour.put(path, status);
    }

    List<Received> received(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    /** Waits until {@code path} got at least {@code count} requests; fails after a generous time. */
    List<Received> awaitRequests(String path, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received(path).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Expected " + count + " request(s) at " + path + ", got " + received(path));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return received(path);
    }

    void reset() {
        received.clear();
        behaviour.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        received.computeIfAbsent(path, key -> new CopyOnWriteArrayList<>()).add(new Received(exchange.getRequestMethod(),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        int status = behaviour.getOrDefault(path, () -> 200).getAsInt();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    record Received(String method, String contentType, String body) {

        /** The form field {@code logout_token}, decoded; null when the body has none. */
        String logoutToken() {
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals("logout_token")) {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.US_ASCII);
                }
            }
            return null;
        }
    }
}
