package io.latchkey.production;

import java.util.Map;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * What production mode makes of the session cookie, above every other property source: its name gets the
 * {@code __Host-} prefix (the configured {@code server.servlet.session.cookie.name}, or {@value #SESSION_COOKIE_NAME}
 * when none is configured), and it is Secure on path {@code /}. {@link HostOnlySessionCookieRule} has refused
 * settings that contradict this before. It goes through Spring Boot's {@code server.servlet.session.cookie.*}, which
 * configures the servlet container's session cookie and Spring Session's alike. Evaluation mode keeps the
 * configured name, or the container's own.
 */
final class ProductionDefaults {

    static final String SOURCE_NAME = "latchkeyProductionDefaults";
    static final String HOST_PREFIX = "__Host-";
    static final String SESSION_COOKIE_NAME = "latchkey-session";

    private ProductionDefaults() {
    }

    static void addTo(ConfigurableEnvironment environment) {
        if (environment.getPropertySources().contains(SOURCE_NAME)) {
            return;
        }
        String configured = environment.getProperty(HostOnlySessionCookieRule.PREFIX + "name");
        String name = !StringUtils.hasText(configured) ? HOST_PREFIX + SESSION_COOKIE_NAME
                : configured.startsWith(HOST_PREFIX) ? configured : HOST_PREFIX + configured;
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, Map.of(
                HostOnlySessionCookieRule.PREFIX + "name", name,
                HostOnlySessionCookieRule.PREFIX + "secure", "true",
                HostOnlySessionCookieRule.PREFIX + "path", "/")));
    }
}
