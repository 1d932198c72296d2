package io.latchkey.ops;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns Latchkey's operations settings into Spring Boot's, before logging starts (which is why this is an
 * environment post-processor and not a bean):
 * <ul>
 * <li>{@code latchkey.log.format}: {@code text} (the default, one line per event) or {@code json} (one JSON object
 * per line, Elastic Common Schema, every MDC value such as the request id a field of its own);</li>
 * <li>{@code latchkey.management.port}: when set, health and metrics are served on that port only, not on the main
 * one.</li>
 * </ul>
 * Boot's own settings ({@code logging.structured.format.console}, {@code management.server.port}) still win when
 * they are given explicitly: these defaults are added last.
 */
public class OperationsSettings implements EnvironmentPostProcessor {

    static final String LOG_FORMAT = "latchkey.log.format";
    static final String MANAGEMENT_PORT = "latchkey.management.port";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> derived = new HashMap<>();
        String format = environment.getProperty(LOG_FORMAT, "text").trim().toLowerCase(Locale.ROOT);
        switch (format) {
            case "text", "" -> { }
            case "json" -> derived.put("logging.structured.format.console", "ecs");
            default -> throw new IllegalStateException(LOG_FORMAT + " (LATCHKEY_LOG_FORMAT) must be text or json, not '"
                    + format + "'");
        }
        String port = environment.getProperty(MANAGEMENT_PORT);
        if (port != null && !port.isBlank()) {
            derived.put("management.server.port", port.trim());
        }
        if (!derived.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("latchkey-operations", derived));
        }
    }
}
