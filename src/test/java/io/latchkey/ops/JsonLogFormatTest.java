package io.latchkey.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.latchkey.LatchkeyApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code latchkey.log.format=json}: every line the server writes is one JSON object, and a request's lines carry
 * its id. The server runs in a JVM of its own (evaluation mode, on H2), because the log format is set up once per
 * JVM and the other tests' server logs as text.
 */
class JsonLogFormatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STARTED_ON = Pattern.compile("Tomcat started on port (\\d+)");

    @Test
    void jsonSettingTurnsOnStructuredLoggingAndTextLeavesItOff() {
        assertThat(derived(Map.of("latchkey.log.format", "json")).getProperty("logging.structured.format.console"))
                .isEqualTo("ecs");
        assertThat(derived(Map.of("latchkey.log.format", "text")).containsProperty("logging.structured.format.console"))
                .isFalse();
        assertThat(derived(Map.of()).containsProperty("logging.structured.format.console")).isFalse();
        assertThat(derived(Map.of("latchkey.log.format", "json", "logging.structured.format.console", "logstash"))
                .getProperty("logging.structured.format.console")).as("Boot's own setting wins").isEqualTo("logstash");
        assertThatThrownBy(() -> derived(Map.of("latchkey.log.format", "xml")))
                .hasMessageContaining("latchkey.log.format").hasMessageContaining("text or json");
    }

    @Test
    void everyLineIsJsonAndARequestsLinesCarryItsId(@TempDir Path dataDir) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LatchkeyApplication.class.getName(),
                "--latchkey.log.format=json", "--server.port=0", "--server.address=127.0.0.1",
                "--latchkey.data-dir=" + dataDir,
                "--logging.level.io.latchkey.http.EndpointErrors=debug");
        Process server = new ProcessBuilder(command).redirectErrorStream(false).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            }
            catch (IOException ended) {
                // the server stopped
            }
        }, "json-log-reader");
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        try {
            int port = -1;
            while (port < 0) {
                String line = lines.poll(180, TimeUnit.SECONDS);
                assertThat(line).as("the server starts and says on which port; so far:\n" + String.join("\n", seen))
                        .isNotNull();
                seen.add(line);
                Matcher started = STARTED_ON.matcher(line);
                if (started.find()) {
                    port = Integer.parseInt(started.group(1));
                }
            }
            // refused by the firewall before any application code: the refusal is logged at DEBUG
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/%6Cogin")).header("X-Request-Id", "json-log-request-1")
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            String refusal = null;
            while (refusal == null) {
                String line = lines.poll(30, TimeUnit.SECONDS);
                assertThat(line).as("the refusal is logged").isNotNull();
                seen.add(line);
                if (line.contains("json-log-request-1")) {
                    refusal = line;
                }
            }
            JsonNode logged = JSON.readTree(refusal);
            assertThat(logged.get("request_id").asString()).isEqualTo("json-log-request-1");
            assertThat(logged.get("message").asString()).contains("Refused");
        }
        finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        assertThat(seen).hasSizeGreaterThan(5);
        for (String line : seen) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.has("@timestamp")).as(line).isTrue();
            assertThat(event.has("message")).as(line).isTrue();
        }
    }

    private static StandardEnvironment derived(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        new OperationsSettings().postProcessEnvironment(environment, null);
        return environment;
    }
}
