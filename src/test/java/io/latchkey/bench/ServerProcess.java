package io.latchkey.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server, started from its jar as a child process ({@code java -jar}), configured only through
 * environment variables as an operator would, bound to the loopback address, with its output in a log
 * file. Stopping it is safe to call twice.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private ServerProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /**
     * Launches the jar with the given environment on a free loopback port. Returns at once, so that the
     * caller can arrange for the process to be stopped before waiting for it with {@link #awaitReady()}.
     */
    static ServerProcess launch(Path jar, Path workingDir, Path log, Map<String, String> environment)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Server jar " + jar + " is missing: run the benchmark through "
                    + "'./mvnw -Pbench -DskipTests verify', which builds it first");
        }
        int port = freeLoopbackPort();
        String baseUrl = "http://127.0.0.1:" + port;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", jar.toString()))
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("LATCHKEY_PORT", Integer.toString(port));
        builder.environment().put("LATCHKEY_ISSUER", baseUrl);
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        // every simulated user signs in from this one loopback address: per-IP limits would stop the load itself
        // (per-account limits still apply, and no benchmark user ever fails a sign-in)
        builder.environment().put("LATCHKEY_RATE_LIMIT_EXEMPT_ADDRESSES", "127.0.0.1,::1");
        return new ServerProcess(builder.start(), baseUrl, log);
    }

    String baseUrl() {
        return baseUrl;
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory of the server process, from {@code /proc/<pid>/status}: VmRSS and its peak VmHWM. */
    Memory memory() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"));
        return new Memory(kilobytes(lines, "VmRSS:"), kilobytes(lines, "VmHWM:"));
    }

    /** Waits until discovery answers 200; fails if the process exits first or takes too long. */
    void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(baseUrl + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with status " + process.exitValue()
                        + " during start-up; see " + log + ":\n" + tail(log, 30));
            }
            try {
                if (client.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The server did not answer discovery within " + START_TIMEOUT + "; see " + log);
    }

    /** Asks the server to shut down (SIGTERM), and kills it if it has not within the timeout. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long kilobytes(List<String> statusLines, String field) {
        return statusLines.stream().filter(line -> line.startsWith(field)).findFirst()
                .map(line -> Long.parseLong(line.substring(field.length()).replace("kB", "").trim()))
                .orElse(-1L);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException | RuntimeException ex) {
            return "(log unreadable: " + ex.getMessage() + ")";
        }
    }

    record Memory(long rssKilobytes, long peakRssKilobytes) {
    }
}
