package io.latchkey.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

import io.latchkey.session.ActiveSession;
import io.latchkey.session.DeviceSummary;
import io.latchkey.session.ReadableAddress;
import io.latchkey.session.UserAgents;

/**
 * The account page's sessions and recent sign-ins as a careful user reads them: "Chrome on Linux · 127.0.0.1 ·
 * 5 minutes ago", never a raw User-Agent header or {@code 0:0:0:0:0:0:0:1}. Browser and system come from
 * {@link UserAgents}; addresses from {@link ReadableAddress}; times are said relative to now in the page's language
 * (a month or more back, as a date), with the exact time kept for a tooltip.
 */
@Component
class AccountActivity {

    private static final Duration AS_A_DATE_FROM = Duration.ofDays(30);

    private final UserAgents userAgents;
    private final MessageSource messages;
    private final Clock clock;

    AccountActivity(UserAgents userAgents, MessageSource messages, Clock clock) {
        this.userAgents = userAgents;
        this.messages = messages;
        this.clock = clock;
    }

    List<Line> signIns(List<AccountAudit.SignIn> signIns, Locale locale) {
        return signIns.stream().map(signIn -> new Line(null, device(userAgents.describe(signIn.userAgent()), locale),
                address(signIn.clientIp(), locale), when(signIn.at(), locale), null, false)).toList();
    }

    List<Line> sessions(List<ActiveSession> sessions, Locale locale) {
        return sessions.stream().map(session -> new Line(session.handle(),
                device(new DeviceSummary(session.browser(), session.system()), locale), address(session.ip(), locale),
                when(session.signedInAt(), locale), when(session.lastSeenAt(), locale), session.current())).toList();
    }

    private String device(DeviceSummary device, Locale locale) {
        String browser = device.browser() != null ? device.browser()
                : messages.getMessage("account.sessions.unknownBrowser", null, locale);
        String system = device.system() != null ? device.system()
                : messages.getMessage("account.sessions.unknownSystem", null, locale);
        return messages.getMessage("account.sessions.device", new Object[] { browser, system }, locale);
    }

    private String address(String ip, Locale locale) {
        return ip == null ? messages.getMessage("account.activity.unknownAddress", null, locale)
                : ReadableAddress.of(ip);
    }

    private Time when(Instant at, Locale locale) {
        if (at == null) {
            return null;
        }
        String exact = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                .withZone(ZoneOffset.UTC).format(at) + " UTC";
        return new Time(ago(at, locale), exact, at.toString());
    }

    String ago(Instant at, Locale locale) {
        Duration since = Duration.between(at, clock.instant());
        if (since.compareTo(Duration.ofMinutes(1)) < 0) {
            return messages.getMessage("account.time.justNow", null, locale);
        }
        if (since.compareTo(Duration.ofHours(1)) < 0) {
            return messages.getMessage("account.time.minutesAgo", amount(since.toMinutes()), locale);
        }
        if (since.compareTo(Duration.ofDays(1)) < 0) {
            return messages.getMessage("account.time.hoursAgo", amount(since.toHours()), locale);
        }
        if (since.compareTo(AS_A_DATE_FROM) < 0) {
            return messages.getMessage("account.time.daysAgo", amount(since.toDays()), locale);
        }
        String date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale)
                .withZone(ZoneOffset.UTC).format(at);
        return messages.getMessage("account.time.on", new Object[] { date }, locale);
    }

    /** The amount twice: to choose singular or plural, and as plain digits. */
    private static Object[] amount(long value) {
        return new Object[] { value, Long.toString(value) };
    }

    /**
     * One session or sign-in on the page.
     *
     * @param handle the session's handle (null for a sign-in)
     * @param lastSeen null for a sign-in
     */
    record Line(String handle, String device, String address, Time at, Time lastSeen, boolean current) {
    }

    /** A time in words ("5 minutes ago"), exactly ("29 Nov 2026, 19:51 UTC") and for {@code <time datetime>}. */
    record Time(String inWords, String exact, String iso) {
    }
}
