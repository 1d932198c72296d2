package io.latchkey.mail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.MessageSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every account mail renders in English and German, from the theme first and the default theme second. */
class MailTemplatesTest {

    @TempDir
    Path themes;

    @Test
    void emailChangedNoticeShowsTheNewAddressMaskedOnlyAndOffersTheUndoLink() {
        MailTemplates templates = MailTestSupport.templates(themes, "default");
        RenderedMail mail = templates.render(AccountMailMessage.emailChangedNotice("old@example.com", Locale.ENGLISH,
                "alice.new@example.org", "http://127.0.0.1:9000/undo-email-change?token=t", Duration.ofDays(7)));
        assertThat(mail.to()).isEqualTo("old@example.com");
        assertThat(mail.subject()).isEqualTo("The email address of your account was changed");
        assertThat(mail.text()).contains("a***@example.org").contains("Undo this change:\n"
                        + "http://127.0.0.1:9000/undo-email-change?token=t")
                .contains("The link works once, for 7 days.").doesNotContain("alice.new").doesNotContain("forgot");
        assertThat(mail.html()).contains("a***@example.org")
                .contains("href=\"http://127.0.0.1:9000/undo-email-change?token=t\"").contains("Undo this change")
                .contains("The link works once, for 7 days.").doesNotContain("alice.new");

        RenderedMail german = templates.render(AccountMailMessage.emailChangedNotice("old@example.com",
                Locale.GERMAN, "bob@example.org", "https://id.example.com/undo-email-change?token=u", Duration.ofHours(36)));
        assertThat(german.subject()).isEqualTo("Die E-Mail-Adresse Ihres Kontos wurde geändert");
        assertThat(german.text()).contains("b***@example.org").contains("Änderung rückgängig machen")
                .contains("https://id.example.com/undo-email-change?token=u")
                .contains("Der Link funktioniert einmal, 36 Stunden lang.");
        assertThat(german.html()).contains("b***@example.org")
                .contains("href=\"https://id.example.com/undo-email-change?token=u\"");
    }

    @Test
    void durationsAreWholeDaysFromTwoDaysWholeHoursFromTwoHoursMinutesBelowRoundedDown() {
        MessageSource messages = MailTestSupport.messages();
        assertThat(words(Duration.ofMinutes(1), DurationInWords.Case.AFTER_IN, Locale.ENGLISH, messages))
                .isEqualTo("1 minute");
        assertThat(words(Duration.ofMinutes(60), DurationInWords.Case.AFTER_IN, Locale.ENGLISH, messages))
                .isEqualTo("60 minutes");
        assertThat(words(Duration.ofMinutes(1440), DurationInWords.Case.AFTER_IN, Locale.ENGLISH, messages))
                .isEqualTo("24 hours");
        assertThat(words(Duration.ofMinutes(150), DurationInWords.Case.AFTER_IN, Locale.ENGLISH, messages))
                .isEqualTo("2 hours");
        assertThat(words(Duration.ofDays(7), DurationInWords.Case.HOW_LONG, Locale.ENGLISH, messages))
                .isEqualTo("7 days");
        assertThat(words(Duration.ofHours(1500), DurationInWords.Case.HOW_LONG, Locale.ENGLISH, messages))
                .as("no thousands separator").isEqualTo("62 days");
        assertThat(words(Duration.ofDays(7), DurationInWords.Case.AFTER_IN, Locale.GERMAN, messages))
                .isEqualTo("7 Tagen");
        assertThat(words(Duration.ofDays(7), DurationInWords.Case.HOW_LONG, Locale.GERMAN, messages))
                .isEqualTo("7 Tage");
        assertThat(words(Duration.ofHours(1), DurationInWords.Case.HOW_LONG, Locale.GERMAN, messages))
                .isEqualTo("60 Minuten");
        assertThat(words(Duration.ofHours(2), DurationInWords.Case.HOW_LONG, Locale.GERMAN, messages))
                .isEqualTo("2 Stunden");
        assertThat(words(Duration.ofMinutes(1), DurationInWords.Case.HOW_LONG, Locale.GERMAN, messages))
                .isEqualTo("eine Minute");
        assertThat(words(Duration.ofMinutes(1440), DurationInWords.Case.AFTER_IN, Locale.GERMAN, messages))
                .isEqualTo("24 Stunden");
    }

    private static String words(Duration duration, DurationInWords.Case grammaticalCase, Locale locale,
            MessageSource messages) {
        return new DurationInWords(duration, grammaticalCase).in(messages, locale);
    }

    @Test
    void anEmailChangedNoticeNeedsAnUndoLinkThatLastsAnHour() {
        assertThatThrownBy(() -> AccountMailMessage.emailChangedNotice("a@example.com", Locale.ENGLISH,
                "b@example.com", null, Duration.ofDays(7))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccountMailMessage.emailChangedNotice("a@example.com", Locale.ENGLISH,
                "b@example.com", "https://id.example.com/u", Duration.ofMinutes(59)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accountLockedTellsUntilWhenInTheUsersLanguage() {
        MailTemplates templates = MailTestSupport.templates(themes, "default");
        Instant until = Instant.parse("2026-03-01T14:30:00Z");
        RenderedMail english = templates.render(AccountMailMessage.accountLocked("eve@example.com", Locale.ENGLISH,
                until, "http://127.0.0.1:9000/reset"));
        assertThat(english.subject()).isEqualTo("Your account is locked");
        assertThat(english.text()).contains("Mar 1, 2026").contains("UTC").contains("http://127.0.0.1:9000/reset");
        assertThat(english.html()).contains("Mar 1, 2026").contains("href=\"http://127.0.0.1:9000/reset\"");

        RenderedMail german = templates.render(AccountMailMessage.accountLocked("eve@example.com", Locale.GERMAN,
                until, null));
        assertThat(german.subject()).isEqualTo("Ihr Konto ist gesperrt");
        assertThat(german.text()).contains("01.03.2026, 14:30 UTC").doesNotContain("http");
        assertThat(german.html()).contains("01.03.2026, 14:30 UTC").doesNotContain("href");
    }

    @Test
    void modelValuesAreEscapedInHtml() {
        RenderedMail mail = MailTestSupport.templates(themes, "default").render(AccountMailMessage.verifyEmail(
                "mallory@example.com", Locale.ENGLISH, "<b>Mallory</b>", "http://127.0.0.1/v?a=1&b=\"2\"", 5));
        assertThat(mail.html()).contains("Hello &lt;b&gt;Mallory&lt;/b&gt;,").doesNotContain("<b>Mallory")
                .contains("href=\"http://127.0.0.1/v?a=1&amp;b=&quot;2&quot;\"");
        assertThat(mail.text()).contains("Hello <b>Mallory</b>,");
    }

    @Test
    void aThemeOverridesMailTemplatesFileByFile() throws Exception {
        Files.createDirectories(themes.resolve("acme/templates/mail"));
        Files.writeString(themes.resolve("acme/templates/mail/reset-password.txt"),
                "ACME reset: [[${link}]] ([[#{mail.resetPassword.action}]])\n");
        RenderedMail mail = MailTestSupport.templates(themes, "acme").render(
                AccountMailMessage.resetPassword("x@example.com", Locale.ENGLISH, "http://127.0.0.1/r", 30));
        assertThat(mail.text()).isEqualTo("ACME reset: http://127.0.0.1/r (Choose a new password)\n");
        assertThat(mail.html()).as("from the default theme").contains("href=\"http://127.0.0.1/r\"")
                .contains("Choose a new password");
    }

    @Test
    void everyMailRendersInEveryLanguage() {
        MailTemplates templates = MailTestSupport.templates(themes, "default");
        for (Locale locale : new Locale[] { Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH }) {
            for (AccountMailMessage message : new AccountMailMessage[] {
                    AccountMailMessage.verifyEmail("a@example.com", locale, "A", "https://id.example.com/v", 30),
                    AccountMailMessage.resetPassword("a@example.com", locale, "https://id.example.com/r", 30),
                    AccountMailMessage.emailChangedNotice("a@example.com", locale, "b@example.com",
                            "https://id.example.com/u", Duration.ofDays(7)),
                    AccountMailMessage.accountLocked("a@example.com", locale, Instant.now(), null) }) {
                RenderedMail mail = templates.render(message);
                assertThat(mail.subject()).isNotBlank().doesNotContain("??");
                assertThat(mail.text()).doesNotContain("??").doesNotContain("[[").doesNotContain(" th:");
                assertThat(mail.html()).startsWith("<!DOCTYPE html>").doesNotContain("??").doesNotContain(" th:");
            }
        }
    }

    @Test
    void templateNamesCannotLeaveTheMailFolder() {
        assertThatThrownBy(() -> new AccountMailMessage("a@example.com", "mail.verifyEmail.subject",
                "mail/../login", java.util.Map.of(), Locale.ENGLISH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailTestSupport.templates(themes, "default").render(new AccountMailMessage(
                "a@example.com", "mail.verifyEmail.subject", "login", java.util.Map.of(), Locale.ENGLISH)))
                .hasMessageContaining("login");
    }

    @Test
    void recipientsAndLinksAreChecked() {
        assertThatThrownBy(() -> AccountMailMessage.resetPassword("a@example.com\r\nBcc: x@example.com",
                Locale.ENGLISH, "https://id.example.com/r", 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccountMailMessage.resetPassword("a@example.com", Locale.ENGLISH,
                "javascript:alert(1)", 30)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AccountMailMessage.maskEmail("alice@example.com")).isEqualTo("a***@example.com");
        assertThat(AccountMailMessage.maskEmail("x@example.com")).isEqualTo("x***@example.com");
    }
}
