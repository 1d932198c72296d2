package io.latchkey.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Used when no SMTP server is configured: writes each mail, with its plain-text body and so its links, to
 * the log at INFO, so that someone trying Latchkey out can finish a registration from the console.
 */
class LogMailDelivery implements MailDelivery {

    private static final Logger log = LoggerFactory.getLogger(LogMailDelivery.class);

    @Override
    public void deliver(RenderedMail mail) {
        log.info("Mail not sent (no SMTP server configured, set spring.mail.host); it reads:\n"
                + "To: {}\nSubject: {}\n\n{}", mail.to(), mail.subject(), mail.text());
    }
}
