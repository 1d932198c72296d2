package io.latchkey.mfa;

import java.util.UUID;

import org.springframework.stereotype.Component;

import io.latchkey.account.AttemptOrigin;
import io.latchkey.account.SecondFactor;

/** Placeholder until TOTP enrolment is built: nobody has a second factor, and every code is refused. */
@Component
class NotYetEnrollable implements SecondFactor {

    @Override
    public boolean isEnrolled(UUID userId) {
        return false;
    }

    @Override
    public boolean mustEnrol(UUID userId) {
        return false;
    }

    @Override
    public CodeCheck check(UUID userId, String code, AttemptOrigin origin) {
        return CodeCheck.REFUSED;
    }
}
