package io.latchkey.production;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import io.latchkey.LatchkeyApplication;

/** Settings production mode accepts, and a way to start Latchkey with them (or with some of them spoiled). */
final class ProductionSettings {

    static final String CLIENT = "billing-service";
    static final String CLIENT_SECRET = randomBase64(32);

    private ProductionSettings() {
    }

    /** Safe settings, for a database that need not exist: the refusals come before anything connects to it. */
    static Map<String, Object> safe() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("latchkey.mode", "production");
        settings.put("latchkey.db.url", "jdbc:postgresql://127.0.0.1:5432/latchkey_production_settings_test");
        settings.put("latchkey.master-key", randomBase64(32));
        settings.put("spring.mail.host", "127.0.0.1");
        settings.put("latchkey.issuer", "https://id.latchkey.test");
        settings.put("latchkey.clients." + CLIENT + ".secret", CLIENT_SECRET);
        settings.put("latchkey.clients." + CLIENT + ".grant-types", "client_credentials");
        settings.put("latchkey.clients." + CLIENT + ".scopes", "api.read");
        settings.put("server.port", 0);
        settings.put("server.address", "127.0.0.1");
        return settings;
    }

    /** Starts a whole Latchkey with exactly these settings on top of application.yml (as environment variables would). */
    static ConfigurableApplicationContext start(Map<String, Object> settings) {
        return new SpringApplicationBuilder(LatchkeyApplication.class)
                .initializers(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("production-test", settings)))
                .run();
    }

    static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
