package io.latchkey.mail;

/** How rendered mail leaves Latchkey: over SMTP, or into the log when no SMTP server is configured. */
interface MailDelivery {

    void deliver(RenderedMail mail);
}
