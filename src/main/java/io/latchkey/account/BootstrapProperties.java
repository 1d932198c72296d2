package io.latchkey.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.bootstrap.*}: the first administrator, created at start-up while no administrator exists.
 *
 * @param adminEmail their email address (default {@code admin@localhost})
 * @param adminPassword their password, checked against the password policy; empty: generated in evaluation mode,
 *        no administrator otherwise. A secret: no default, never logged
 */
@ConfigurationProperties("latchkey.bootstrap")
record BootstrapProperties(String adminEmail, String adminPassword) {

    BootstrapProperties {
        adminEmail = adminEmail == null || adminEmail.isBlank() ? "admin@localhost" : adminEmail.trim();
        adminPassword = adminPassword == null ? "" : adminPassword;
    }

    @Override
    public String toString() {
        return "BootstrapProperties[adminEmail=" + adminEmail + "]";
    }
}
