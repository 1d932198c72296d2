package io.latchkey.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.ResourceBundleMessageSource;

import io.latchkey.session.ActiveSession;
import io.latchkey.session.UserAgents;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-ins and sessions as the account page says them: device, short address, time in words, in both languages. */
class AccountActivityTest {

    private static final Instant NOW = Instant.parse("2026-11-29T20:00:00Z");
    private static final String CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";

    private final AccountActivity activity = new AccountActivity(new UserAgents(), messages(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSignInReadsChromeOnLinuxTheAddressAndHowLongAgo() {
        AccountActivity.Line line = activity.signIns(List.of(new AccountAudit.SignIn(NOW.minus(Duration.ofMinutes(5)),
                "0:0:0:0:0:0:0:1", CHROME_LINUX)), Locale.ENGLISH).get(0);
        assertThat(line.device()).isEqualTo("Chrome on Linux");
        assertThat(line.address()).isEqualTo("::1");
        assertThat(line.at().inWords()).isEqualTo("5 minutes ago");
        assertThat(line.at().exact()).contains("2026").endsWith("UTC");
        assertThat(line.at().iso()).isEqualTo("2026-11-29T19:55:00Z");

        AccountActivity.Line german = activity.signIns(List.of(new AccountAudit.SignIn(NOW.minus(Duration.ofMinutes(5)),
                "127.0.0.1", CHROME_LINUX)), Locale.GERMAN).get(0);
        assertThat(german.device()).isEqualTo("Chrome unter Linux");
        assertThat(german.at().inWords()).isEqualTo("vor 5 Minuten");
    }

    @Test
    void timesInWordsFromJustNowToADate() {
        assertThat(activity.ago(NOW.minusSeconds(20), Locale.ENGLISH)).isEqualTo("just now");
        assertThat(activity.ago(NOW.minusSeconds(61), Locale.ENGLISH)).isEqualTo("1 minute ago");
        assertThat(activity.ago(NOW.minus(Duration.ofHours(3)), Locale.ENGLISH)).isEqualTo("3 hours ago");
        assertThat(activity.ago(NOW.minus(Duration.ofDays(1)), Locale.ENGLISH)).isEqualTo("1 day ago");
        assertThat(activity.ago(NOW.minus(Duration.ofDays(2)), Locale.GERMAN)).isEqualTo("vor 2 Tagen");
        assertThat(activity.ago(NOW.minus(Duration.ofHours(1)), Locale.GERMAN)).isEqualTo("vor 1 Stunde");
        assertThat(activity.ago(NOW.minusSeconds(5), Locale.GERMAN)).isEqualTo("gerade eben");
        assertThat(activity.ago(NOW.minus(Duration.ofDays(90)), Locale.ENGLISH)).isEqualTo("on Aug 31, 2026");
    }

    @Test
    void aSessionWithAnUnknownDeviceSaysSo() {
        AccountActivity.Line line = activity.sessions(List.of(new ActiveSession("h", null, null, "10.0.0.7",
                NOW.minus(Duration.ofHours(2)), NOW, true)), Locale.ENGLISH).get(0);
        assertThat(line.device()).isEqualTo("Unknown browser on an unknown system");
        assertThat(line.address()).isEqualTo("10.0.0.7");
        assertThat(line.at().inWords()).isEqualTo("2 hours ago");
        assertThat(line.lastSeen().inWords()).isEqualTo("just now");
        assertThat(line.current()).isTrue();
    }

    private static ResourceBundleMessageSource messages() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }
}
