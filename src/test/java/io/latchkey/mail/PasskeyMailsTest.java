package io.latchkey.mail;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The passkey mails (issue 14) render in English and German, the passkey's name escaped in HTML. */
class PasskeyMailsTest {

    private static final Instant WHEN = Instant.parse("2026-03-01T14:30:00Z");

    @TempDir
    Path themes;

    @Test
    void passkeyAddedAndRemovedNameThePasskeyAndLinkToTheList() {
        MailTemplates templates = MailTestSupport.templates(themes, "default");
        RenderedMail added = templates.render(AccountMailMessage.passkeyAdded("ada@example.com", Locale.ENGLISH,
                "Work <laptop>", WHEN, "http://localhost:9000/account/passkeys"));
        assertThat(added.subject()).isEqualTo("A passkey was added to your account");
        assertThat(added.text()).contains("The passkey \"Work <laptop>\" was added to your account on Mar 1, 2026")
                .contains("http://localhost:9000/account/passkeys");
        assertThat(added.html()).contains("Work &lt;laptop&gt;").doesNotContain("<laptop>")
                .contains("href=\"http://localhost:9000/account/passkeys\"");

        RenderedMail removed = templates.render(AccountMailMessage.passkeyRemoved("ada@example.com", Locale.GERMAN,
                "Telefon\u0000", WHEN, "https://id.example.com/account/passkeys"));
        assertThat(removed.subject()).isEqualTo("Ein Passkey wurde aus Ihrem Konto entfernt");
        assertThat(removed.text()).contains("Der Passkey „Telefon“ wurde am 01.03.2026, 14:30 UTC aus Ihrem Konto entfernt.")
                .doesNotContain("\u0000");
    }

    @Test
    void passwordRemovedOffersANewPassword() {
        MailTemplates templates = MailTestSupport.templates(themes, "default");
        RenderedMail english = templates.render(AccountMailMessage.passwordRemoved("ada@example.com", Locale.ENGLISH,
                WHEN, "http://localhost:9000/forgot-password"));
        assertThat(english.subject()).isEqualTo("The password of your account was removed");
        assertThat(english.text()).contains("sign in with a passkey only").contains("Choose a new password:\n"
                + "http://localhost:9000/forgot-password");
        RenderedMail german = templates.render(AccountMailMessage.passwordRemoved("ada@example.com", Locale.GERMAN,
                WHEN, "http://localhost:9000/forgot-password"));
        assertThat(german.subject()).isEqualTo("Das Passwort Ihres Kontos wurde entfernt");
        assertThat(german.html()).contains("href=\"http://localhost:9000/forgot-password\"");
    }
}
