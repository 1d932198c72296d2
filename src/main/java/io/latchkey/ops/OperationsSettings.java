package io.latchkey.ops;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code latchkey.log.format} into Spring Boot's logging settings before logging starts (which is why this is
 * an environment post-processor and not a bean): {@code text} (the default, one line per event) or {@code json} (one
 * JSON object per line, Elastic Common Schema, every MDC value such as the request id a field of its own). Boot's
 * own {@code logging.structured.format.console} still wins when it is given explicitly: this default is added last.
 */
public class OperationsSettings implements EnvironmentPostProcessor {

    static final String LOG_FORMAT = "latchkey.log.format";

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
        if (!derived.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("latchkey-operations", derived));
        }
    }
}
