package io.latchkey.mail;

/**
 * Sends mail to account holders (address verification, password reset, security notices). Each mail is
 * rendered from the theme as both HTML and plain text, in the recipient's language.
 *
 * <p>With {@code spring.mail.host} set the mail goes out over SMTP; without it (the embedded default)
 * it is written to the log instead. Sending is synchronous: a failing SMTP server surfaces as Spring's
 * {@link org.springframework.mail.MailException}.
 */
public class AccountMailer {

    private final MailTemplates templates;
    private final MailDelivery delivery;

    AccountMailer(MailTemplates templates, MailDelivery delivery) {
        this.templates = templates;
        this.delivery = delivery;
    }

    public void send(AccountMailMessage message) {
        delivery.deliver(templates.render(message));
    }

    /** Whether mail really leaves Latchkey (SMTP) rather than being written to the log. */
    public boolean sendsMail() {
        return delivery instanceof SmtpMailDelivery;
    }
}
