package io.latchkey.passkey;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells every page whether passkeys are on, so the login and account pages show their controls only then. */
@ControllerAdvice
class PasskeyPageModel {

    private final PasskeyEntrance entrance;

    PasskeyPageModel(PasskeyEntrance entrance) {
        this.entrance = entrance;
    }

    @ModelAttribute("passkeysEnabled")
    boolean passkeysEnabled() {
        return entrance.enabled();
    }
}
