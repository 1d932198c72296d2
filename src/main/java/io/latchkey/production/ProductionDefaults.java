package io.latchkey.production;

import java.util.Map;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The settings production mode changes, as defaults below every other source: the session cookie becomes
 * {@value #SESSION_COOKIE}, Secure, on path {@code /} and without a Domain. They go through Spring Boot's
 * {@code server.servlet.session.cookie.*}, which configures the servlet container's session cookie and Spring
 * Session's alike. Evaluation mode keeps the container's own cookie name.
 */
final class ProductionDefaults {

    static final String SOURCE_NAME = "latchkeyProductionDefaults";
    static final String SESSION_COOKIE = "__Host-latchkey-session";

    private ProductionDefaults() {
    }

    static void addTo(ConfigurableEnvironment environment) {
        if (environment.getPropertySources().contains(SOURCE_NAME)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                HostOnlySessionCookieRule.PREFIX + "name", SESSION_COOKIE,
                HostOnlySessionCookieRule.PREFIX + "secure", "true",
                HostOnlySessionCookieRule.PREFIX + "path", "/")));
    }
}
