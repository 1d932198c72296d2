package io.latchkey.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.util.StringUtils;

import io.latchkey.runtime.RuntimeMode;
import io.latchkey.theme.Theme;

/**
 * Account mail goes out over SMTP when Spring Boot has configured a {@link JavaMailSender}
 * ({@code spring.mail.host} is set); otherwise it is written to the log.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailSettings.class)
class MailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

    @Bean
    AccountMailer accountMailer(Theme theme, MessageSource messageSource, ObjectProvider<JavaMailSender> mailSender,
            RuntimeMode mode, Environment environment, MailSettings settings) {
        String host = environment.getProperty("spring.mail.host", "");
        InternetAddress sender = parseFrom(settings.from());
        JavaMailSender smtp = StringUtils.hasText(host) ? mailSender.getIfAvailable() : null;
        MailDelivery delivery;
        if (smtp != null) {
            log.info("Account mail is sent over SMTP ({}) from {}", host, sender.toUnicodeString());
            delivery = new SmtpMailDelivery(smtp, sender);
        }
        else {
            if (mode.isEmbedded()) {
                log.info("No SMTP server configured (spring.mail.host): account mail is written to the log");
            }
            else {
                log.warn("No SMTP server configured (spring.mail.host): account mail, with its one-time links, "
                        + "is written to the log. Set SPRING_MAIL_HOST for real use.");
            }
            delivery = new LogMailDelivery();
        }
        return new AccountMailer(new MailTemplates(theme, messageSource), delivery);
    }

    static InternetAddress parseFrom(String from) {
        try {
            InternetAddress address = new InternetAddress(from, true);
            address.validate();
            return address;
        }
        catch (AddressException ex) {
            throw new IllegalStateException("latchkey.mail.from is not a valid address: " + from, ex);
        }
    }
}
