package io.latchkey.clientregistration;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Dynamic client registration, under {@code latchkey.client-registration} (not {@code latchkey.registration}, which
 * is the sign-up of users: the two must not be confused, since opening this one lets anyone make clients).
 *
 * @param open                   whether anyone may register a client without an initial access token (default
 *                               false); such clients never get the password or client credentials grant nor the
 *                               {@code latchkey.admin} and {@code latchkey.account} scopes
 *                               ({@link OpenRegistrationLimits}), and registrations are counted per client IP
 * @param openPerIp              open registrations from one client IP per {@code openWindow} (default 10)
 * @param openWindow             window of {@code openPerIp} (default one hour)
 * @param softwareStatementJwks  a JWK set (JSON, public keys only) whose keys may sign software statements (RFC 7591
 *                               section 2.3); without it a registration with a software statement is refused
 */
@ConfigurationProperties("latchkey.client-registration")
record ClientRegistrationProperties(Boolean open, Integer openPerIp, Duration openWindow,
        String softwareStatementJwks) {

    ClientRegistrationProperties {
        open = Boolean.TRUE.equals(open);
        openPerIp = openPerIp == null ? 10 : openPerIp;
        if (openPerIp < 1) {
            throw new IllegalArgumentException("latchkey.client-registration.open-per-ip must be at least 1");
        }
        openWindow = openWindow == null ? Duration.ofHours(1) : openWindow;
        if (openWindow.isNegative() || openWindow.isZero()) {
            throw new IllegalArgumentException("latchkey.client-registration.open-window must be longer than 0");
        }
        softwareStatementJwks = softwareStatementJwks == null || softwareStatementJwks.isBlank() ? null
                : softwareStatementJwks.strip();
    }
}
