package io.latchkey.oauth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.api.*}: the first-party API's own sign-in.
 *
 * @param clientId the public client on whose behalf {@code /api/v1/auth/login} signs in; empty: API sign-in is off
 */
@ConfigurationProperties("latchkey.api")
record ApiClientSettings(String clientId) {

    ApiClientSettings {
        clientId = clientId == null ? "" : clientId.trim();
    }
}
