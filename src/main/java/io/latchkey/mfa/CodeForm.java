package io.latchkey.mfa;

import org.springframework.validation.BindingResult;

/**
 * A code typed into one of the second factor's forms: a TOTP code or a recovery code. Its shape is checked here
 * (present, not absurdly long, printable); whether it is right, only {@link TotpSecondFactor} tells.
 */
record CodeForm(String code) {

    static final int MAX_LENGTH = 64;

    static CodeForm empty() {
        return new CodeForm(null);
    }

    /** Rejects a missing or malformed code on {@code errors}; true when the code is worth checking. */
    boolean checkShape(BindingResult errors) {
        if (code == null || code.isBlank()) {
            errors.rejectValue("code", "secondFactor.code.required");
            return false;
        }
        if (code.length() > MAX_LENGTH || code.chars().anyMatch(Character::isISOControl)) {
            errors.rejectValue("code", "secondFactor.code.invalid");
            return false;
        }
        return true;
    }
}
