package io.latchkey.mail;

import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Sends a {@code multipart/alternative} message, plain text first and HTML second (the order of
 * preference, RFC 2046), through Spring's {@link JavaMailSender} ({@code spring.mail.*}).
 */
class SmtpMailDelivery implements MailDelivery {

    private final JavaMailSender sender;
    private final InternetAddress from;

    SmtpMailDelivery(JavaMailSender sender, InternetAddress from) {
        this.sender = sender;
        this.from = from;
    }

    @Override
    public void deliver(RenderedMail mail) {
        MimeMessage message = sender.createMimeMessage();
        try {
            message.setFrom(from);
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(mail.to(), true));
            message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            message.setHeader("Content-Language", mail.locale().toLanguageTag());
            // RFC 3834: an automatic message, so that vacation responders do not answer it
            message.setHeader("Auto-Submitted", "auto-generated");

            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
        }
        catch (MessagingException ex) {
            throw new MailPreparationException("Could not build the mail to " + mail.to(), ex);
        }
        sender.send(message);
    }
}
