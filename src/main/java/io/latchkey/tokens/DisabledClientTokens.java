package io.latchkey.tokens;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.latchkey.client.ClientDisabled;

/**
 * A disabled client keeps no token: every stored authorization issued to it is deleted. Its stateless
 * tokens are refused because the client is no longer found, and stay refused if it is enabled again
 * (see {@link StatelessAccessTokens}).
 */
@Component
class DisabledClientTokens {

    private static final Logger log = LoggerFactory.getLogger(DisabledClientTokens.class);

    private final AuthorizationRecords records;

    DisabledClientTokens(AuthorizationRecords records) {
        this.records = records;
    }

    @EventListener
    void revokeTokensOf(ClientDisabled disabled) {
        int revoked = records.deleteForClient(disabled.registeredClientId());
        log.info("Revoked {} authorization(s) of disabled client {}", revoked, disabled.clientId());
    }
}
