package io.latchkey.mail;

import java.util.List;
import java.util.Locale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.MessageSourceAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.latchkey.runtime.RuntimeMode;
import io.latchkey.theme.Theme;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no {@code spring.mail.host} (the embedded default) mail is written to the log and nothing goes out;
 * with it, mail goes over SMTP. Wired as the application wires it, by Spring Boot's mail auto-configuration.
 */
class AccountMailerLoggingTest {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MessageSourceAutoConfiguration.class,
                    MailSenderAutoConfiguration.class))
            .withUserConfiguration(MailConfiguration.class, Theme.class, RuntimeMode.class)
            .withPropertyValues("spring.messages.fallback-to-system-locale=false");

    private final Logger logger = (Logger) LoggerFactory.getLogger(LogMailDelivery.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void captureLog() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
        logger.setLevel(previousLevel);
    }

    @Test
    void withoutAnSmtpHostMailIsLoggedAndNotSent() {
        contexts.run(context -> {
            AccountMailer mailer = context.getBean(AccountMailer.class);
            assertThat(mailer.sendsMail()).isFalse();
            mailer.send(AccountMailMessage.verifyEmail("new.user@example.com", Locale.ENGLISH, "New User",
                    "http://localhost:9000/verify?n=abc", 60));
        });

        List<ILoggingEvent> events = logged.list;
        assertThat(events).hasSize(1);
        ILoggingEvent event = events.get(0);
        assertThat(event.getLevel()).isEqualTo(Level.INFO);
        assertThat(event.getFormattedMessage()).contains("To: new.user@example.com")
                .contains("Subject: Confirm your email address")
                .contains("http://localhost:9000/verify?n=abc")
                .contains("expires in 60 minutes")
                .doesNotContain("<html");
        assertThat(smtp.waitForIncomingEmail(300, 1)).isFalse();
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void withAnSmtpHostMailIsSentAndNotLogged() {
        contexts.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + smtp.getSmtp().getPort(),
                "latchkey.mail.from=Accounts <accounts@example.com>").run(context -> {
            AccountMailer mailer = context.getBean(AccountMailer.class);
            assertThat(mailer.sendsMail()).isTrue();
            mailer.send(AccountMailMessage.resetPassword("someone@example.com", Locale.ENGLISH,
                    "http://localhost:9000/reset?n=abc", 30));
        });

        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aBadSenderAddressStopsStartUp() {
        contexts.withPropertyValues("latchkey.mail.from=not an address").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("latchkey.mail.from"));
    }
}
