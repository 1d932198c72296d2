package io.latchkey.logout;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestServerInitializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong back-channel logout configuration stops the start with a message that names the setting. */
class BackChannelLogoutSettingsTest {

    @Test
    void aClientWithAPlainHttpLogoutUriIsRefused() {
        String property = "latchkey.clients." + TestServerInitializer.LOGOUT_CLIENT + ".backchannel-logout-uri";
        assertThatThrownBy(() -> start(Map.of(property, "http://rp.example.com/logout")))
                .satisfies(failure -> assertThat(rootMessage(failure))
                        .contains("Invalid client configuration")
                        .contains(property + ": 'http://rp.example.com/logout'")
                        .contains("use https"));
    }

    @Test
    void aBackOffShorterThanItsStartIsRefused() {
        assertThatThrownBy(() -> start(Map.of("latchkey.backchannel-logout.initial-backoff", "5m",
                "latchkey.backchannel-logout.max-backoff", "1m")))
                .satisfies(failure -> assertThat(rootMessage(failure))
                        .contains("latchkey.backchannel-logout.max-backoff")
                        .contains("must not be shorter than initial-backoff"));
    }

    private static void start(Map<String, Object> settings) {
        try (ConfigurableApplicationContext started = SecondInstance.start(settings)) {
            throw new AssertionError("Started with " + settings + " on " + SecondInstance.baseUrl(started));
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
