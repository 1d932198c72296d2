package io.latchkey.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Self-service account settings, under {@code latchkey.account} (whether anyone may register, and the password
 * length, are {@link RegistrationSettings}).
 *
 * @param verificationLinkTtl how long a verification (or email change) link can be used
 * @param resetLinkTtl how long a password reset link can be used
 * @param emailChangeUndoLinkTtl how long the link in the notice to the old address can undo an email change
 */
@ConfigurationProperties("latchkey.account")
public record AccountProperties(Duration verificationLinkTtl, Duration resetLinkTtl, Duration emailChangeUndoLinkTtl) {

    public AccountProperties {
        verificationLinkTtl = verificationLinkTtl == null ? Duration.ofHours(24) : verificationLinkTtl;
        resetLinkTtl = resetLinkTtl == null ? Duration.ofMinutes(30) : resetLinkTtl;
        emailChangeUndoLinkTtl = emailChangeUndoLinkTtl == null ? Duration.ofDays(7) : emailChangeUndoLinkTtl;
        if (emailChangeUndoLinkTtl.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("latchkey.account.email-change-undo-link-ttl must be at least 1h");
        }
    }
}
