package io.latchkey.http;

import java.util.List;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's everyday misses are not log events: {@code /favicon.ico} (asked for on every page view) and an
 * unknown path answer without a WARN, signed in or not, and an unknown path is a 404 at once, not a login detour.
 */
@IntegrationTest
class QuietErrorLogsTest {

    private final Browser browser = new Browser();

    @Test
    void theFaviconAndAnUnknownPathLogNoWarning() {
        try (LogCapture log = LogCapture.open()) {
            for (int view = 0; view < 3; view++) {
                Browser.Response icon = browser.get("/favicon.ico", "Accept", "image/avif,image/webp,image/*,*/*");
                // the theme's icon when it has one, else a quiet 404 without a body
                assertThat(icon.status()).isIn(200, 404);
                if (icon.status() == 200) {
                    assertThat(icon.header("Content-Type")).startsWith("image/");
                }
                else {
                    assertThat(icon.body()).isEmpty();
                }
                Browser.Response missing = browser.get("/no-such-page", "Accept", "text/html");
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.header("Location")).isNull();
                assertThat(missing.body()).contains("Page not found");
            }
            List<?> warnings = log.events().stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .toList();
            assertThat(LogCapture.describe(log.events().stream()
                    .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).toList())).isEmpty();
            assertThat(warnings).isEmpty();
        }
    }
}
