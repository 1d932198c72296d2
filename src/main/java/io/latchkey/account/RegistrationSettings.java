package io.latchkey.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled whether anyone may create an account at {@code /register}
 * @param requireVerifiedEmail whether sign-in waits until the email address is verified
 * @param passwordMinLength the shortest password accepted (default 12)
 */
@ConfigurationProperties("latchkey.registration")
public record RegistrationSettings(Boolean enabled, Boolean requireVerifiedEmail, Integer passwordMinLength) {

    public RegistrationSettings {
        enabled = enabled == null || enabled;
        requireVerifiedEmail = requireVerifiedEmail == null || requireVerifiedEmail;
        passwordMinLength = passwordMinLength == null ? 12 : passwordMinLength;
    }
}
