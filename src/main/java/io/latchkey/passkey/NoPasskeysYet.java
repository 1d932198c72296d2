package io.latchkey.passkey;

import java.util.UUID;

import org.springframework.stereotype.Component;

import io.latchkey.account.Passkeys;

/** Placeholder until passkey registration is built: nobody has a passkey. */
@Component
class NoPasskeysYet implements Passkeys {

    @Override
    public boolean hasPasskey(UUID userId) {
        return false;
    }
}
