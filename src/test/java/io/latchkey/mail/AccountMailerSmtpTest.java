package io.latchkey.mail;

import java.nio.file.Path;
import java.util.Locale;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/** Account mail sent over real SMTP to GreenMail on a free loopback port. */
class AccountMailerSmtpTest {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    private static final String LINK = "http://127.0.0.1:9000/verify?user=7&nonce=Zm9v";

    @TempDir
    Path themes;

    private AccountMailer mailer() {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(smtp.getSmtp().getPort());
        return new AccountMailer(MailTestSupport.templates(themes, "default"),
                new SmtpMailDelivery(sender, MailConfiguration.parseFrom("Latchkey <no-reply@localhost>")));
    }

    @Test
    void sendsTextAndHtmlAlternativesWithTheLinkInBoth() throws Exception {
        mailer().send(AccountMailMessage.verifyEmail("alice@example.com", Locale.ENGLISH, "Alice", LINK, 60));

        MimeMessage mail = single();
        assertThat(addresses(mail.getRecipients(Message.RecipientType.TO))).containsExactly("alice@example.com");
        assertThat(addresses(mail.getFrom())).containsExactly("no-reply@localhost");
        assertThat(mail.getFrom()[0].toString()).startsWith("Latchkey");
        assertThat(mail.getSubject()).isEqualTo("Confirm your email address");
        assertThat(mail.getHeader("Content-Language")).containsExactly("en");
        assertThat(mail.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        assertThat(mail.getContentType()).startsWith("multipart/alternative");

        String text = part(mail, "text/plain");
        String html = part(mail, "text/html");
        assertThat(text).contains("Hello Alice,").contains(LINK).contains("expires in 60 minutes")
                .doesNotContain("<");
        assertThat(html).contains("href=\"" + LINK.replace("&", "&amp;") + "\"")
                .contains("Confirm email address").contains("expires in 60 minutes").contains("lang=\"en\"")
                .doesNotContain(" th:").doesNotContain("src=").doesNotContain("<link");
    }

    @Test
    void writesInTheRecipientsLanguage() throws Exception {
        mailer().send(AccountMailMessage.resetPassword("bob@example.com", Locale.GERMAN,
                "http://127.0.0.1:9000/reset?n=1", 1));

        MimeMessage mail = single();
        assertThat(addresses(mail.getRecipients(Message.RecipientType.TO))).containsExactly("bob@example.com");
        assertThat(mail.getSubject()).isEqualTo("Setzen Sie Ihr Passwort zurück");
        assertThat(mail.getHeader("Content-Language")).containsExactly("de");
        assertThat(part(mail, "text/plain")).contains("Neues Passwort wählen").contains("läuft in 1 Minute ab")
                .contains("http://127.0.0.1:9000/reset?n=1");
        assertThat(part(mail, "text/html")).contains("Neues Passwort wählen").contains("lang=\"de\"")
                .contains("href=\"http://127.0.0.1:9000/reset?n=1\"");
    }

    @Test
    void englishAndGermanSubjectsOfTheSameMailDiffer() throws Exception {
        AccountMailer mailer = mailer();
        mailer.send(AccountMailMessage.verifyEmail("carol@example.com", Locale.GERMANY, null, LINK, 1440));
        mailer.send(AccountMailMessage.verifyEmail("dave@example.com", Locale.US, null, LINK, 1440));

        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage german = addresses(received[0].getAllRecipients()).contains("carol@example.com") ? received[0]
                : received[1];
        MimeMessage english = german == received[0] ? received[1] : received[0];
        assertThat(german.getSubject()).isEqualTo("Bestätigen Sie Ihre E-Mail-Adresse");
        assertThat(part(german, "text/plain")).startsWith("Hallo,").contains("läuft in 24 Stunden ab");
        assertThat(english.getSubject()).isEqualTo("Confirm your email address");
        assertThat(part(english, "text/plain")).startsWith("Hello,").contains("expires in 24 hours");
    }

    @Test
    void thePasswordChangedMailSaysWhenAndHowToTakeTheAccountBackInEitherLanguage() throws Exception {
        AccountMailer mailer = mailer();
        java.time.Instant when = java.time.Instant.parse("2026-11-29T19:51:00Z");
        mailer.send(AccountMailMessage.passwordChanged("frank@example.com", Locale.ENGLISH, when,
                "http://127.0.0.1:9000/forgot-password"));
        mailer.send(AccountMailMessage.passwordChanged("franz@example.com", Locale.GERMAN, when,
                "http://127.0.0.1:9000/forgot-password"));
        MimeMessage english = to("frank@example.com", 2);
        assertThat(english.getSubject()).isEqualTo("The password of your account was changed");
        assertThat(part(english, "text/plain")).contains("changed on Nov 29, 2026").contains("UTC")
                .contains("If you did not change it").contains("http://127.0.0.1:9000/forgot-password");
        assertThat(part(english, "text/html")).contains("Choose a new password")
                .contains("href=\"http://127.0.0.1:9000/forgot-password\"");
        MimeMessage german = to("franz@example.com", 2);
        assertThat(german.getSubject()).isEqualTo("Das Passwort Ihres Kontos wurde geändert");
        assertThat(part(german, "text/plain")).contains("wurde am 29.11.2026").contains("Neues Passwort wählen");
    }

    @Test
    void linkLifetimesAreSaidInWordsNeverAsThousandsOfMinutes() throws Exception {
        AccountMailer mailer = mailer();
        mailer.send(AccountMailMessage.verifyEmail("gina@example.com", Locale.ENGLISH, null, LINK, 24 * 60));
        mailer.send(AccountMailMessage.resetPassword("gerd@example.com", Locale.GERMAN, LINK, 30));
        mailer.send(AccountMailMessage.verifyEmail("grete@example.com", Locale.GERMAN, null, LINK, 3 * 24 * 60));
        assertThat(part(to("gina@example.com", 3), "text/plain")).contains("This link expires in 24 hours.")
                .doesNotContain("1,440");
        assertThat(part(to("gerd@example.com", 3), "text/plain")).contains("Dieser Link läuft in 30 Minuten ab.");
        assertThat(part(to("grete@example.com", 3), "text/plain")).contains("läuft in 3 Tagen ab");
    }

    private static MimeMessage to(String address, int expected) throws Exception {
        assertThat(smtp.waitForIncomingEmail(5000, expected)).isTrue();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            if (addresses(message.getAllRecipients()).contains(address)) {
                return message;
            }
        }
        throw new AssertionError("no mail to " + address);
    }

    private static MimeMessage single() {
        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }

    private static java.util.List<String> addresses(Address[] addresses) {
        return java.util.Arrays.stream(addresses)
                .map(address -> ((jakarta.mail.internet.InternetAddress) address).getAddress()).toList();
    }

    private static String part(MimeMessage mail, String type) throws Exception {
        Multipart parts = (Multipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).as("plain text comes first").isTrue();
        for (int i = 0; i < parts.getCount(); i++) {
            Part part = parts.getBodyPart(i);
            if (part.isMimeType(type)) {
                assertThat(part.getContentType()).containsIgnoringCase("charset=UTF-8");
                return (String) part.getContent();
            }
        }
        throw new AssertionError("No " + type + " part");
    }
}
