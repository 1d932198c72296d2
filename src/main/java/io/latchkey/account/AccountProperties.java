package io.latchkey.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Self-service account settings, under {@code latchkey.registration} and {@code latchkey.account}.
 */
@ConfigurationProperties("latchkey.account")
public record AccountProperties(Duration verificationLinkTtl, Duration resetLinkTtl) {

    public AccountProperties {
        verificationLinkTtl = verificationLinkTtl == null ? Duration.ofHours(24) : verificationLinkTtl;
        resetLinkTtl = resetLinkTtl == null ? Duration.ofMinutes(30) : resetLinkTtl;
    }
}
