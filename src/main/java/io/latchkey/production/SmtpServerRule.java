package io.latchkey.production;

import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Production sends account mail over SMTP. Without a server Latchkey writes each mail, one-time links included, to
 * the log, where anyone who reads the log could take over the account.
 */
final class SmtpServerRule implements ProductionRule {

    @Override
    public List<String> problems(Environment environment) {
        if (StringUtils.hasText(environment.getProperty("spring.mail.host"))) {
            return List.of();
        }
        return List.of("spring.mail.host (SPRING_MAIL_HOST) is not set: production sends account mail (email "
                + "verification and password reset links) over SMTP; without a server it would be written to the log");
    }
}
