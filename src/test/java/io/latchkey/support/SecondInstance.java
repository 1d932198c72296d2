package io.latchkey.support;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import io.latchkey.LatchkeyApplication;

/**
 * Another whole Latchkey instance on the test database, as behind a load balancer: the test server's
 * settings (the same master key, issuer and declared clients: an instance that declared fewer clients would
 * disable the others) on a port of its own, with the given settings on top.
 */
public final class SecondInstance {

    private SecondInstance() {
    }

    /** Starts it; close the context to stop it. {@link #baseUrl} gives its address. */
    public static ConfigurableApplicationContext start(Map<String, Object> settings) {
        return start(settings, new Class<?>[0]);
    }

    /** Starts it with more configuration classes (a test's own controllers, for instance) besides Latchkey's. */
    public static ConfigurableApplicationContext start(Map<String, Object> settings, Class<?>... moreSources) {
        Map<String, Object> properties = new HashMap<>(TestServerInitializer.properties());
        properties.put("server.port", 0);
        properties.put("server.address", "127.0.0.1");
        properties.putAll(settings);
        return new SpringApplicationBuilder(LatchkeyApplication.class).sources(moreSources)
                .initializers(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("latchkey-second-instance", properties)))
                .run();
    }

    public static String baseUrl(ConfigurableApplicationContext instance) {
        return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
    }
}
