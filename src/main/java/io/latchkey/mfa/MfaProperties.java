package io.latchkey.mfa;

import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Second-factor settings, under {@code latchkey.mfa}.
 *
 * @param requiredForRoles the roles whose users must enrol a second factor before they go on
 *        ({@code LATCHKEY_MFA_REQUIRED_FOR_ROLES}, comma-separated; default none)
 */
@ConfigurationProperties("latchkey.mfa")
public record MfaProperties(List<String> requiredForRoles) {

    public MfaProperties {
        requiredForRoles = requiredForRoles == null ? List.of()
                : requiredForRoles.stream().filter(role -> role != null && !role.isBlank())
                        .map(role -> role.strip().toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
