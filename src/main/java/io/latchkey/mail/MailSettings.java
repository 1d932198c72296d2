package io.latchkey.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.mail.*}. Whether mail goes out over SMTP is Spring Boot's {@code spring.mail.host}.
 *
 * @param from the sender of account mail, an RFC 5322 address with an optional display name
 */
@ConfigurationProperties("latchkey.mail")
record MailSettings(String from) {

    MailSettings {
        from = from == null || from.isBlank() ? "Latchkey <no-reply@localhost>" : from;
    }
}
