package io.latchkey.account;

import org.springframework.validation.Errors;

/**
 * What the hosted account forms post, with the checks a form can make by itself ({@link AccountFields}). A form
 * reports every field's error in one round, so each check below runs whatever the other fields hold.
 */
final class AccountForms {

    private AccountForms() {
    }

    /**
     * A new password must be typed twice: an empty repetition asks for it, a different one does not match. Both
     * empty is only the password's own error ({@code password.required}) plus the request to repeat it.
     */
    static void checkRepeated(String password, String repeated, String repeatedField, Errors errors) {
        if (errors.hasFieldErrors(repeatedField)) {
            return;
        }
        if (repeated == null || repeated.isEmpty()) {
            errors.rejectValue(repeatedField, "password.repeatRequired");
        }
        else if (!repeated.equals(password)) {
            errors.rejectValue(repeatedField, "password.mismatch");
        }
    }

    /** A current password must be given before it is checked: an empty one is no attempt at all. */
    static boolean checkCurrentPasswordGiven(String currentPassword, String field, Errors errors) {
        if (errors.hasFieldErrors(field)) {
            return false;
        }
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.rejectValue(field, "password.currentRequired");
            return false;
        }
        return true;
    }

    record Registration(
            @AccountFields.EmailAddress String email,
            @AccountFields.Password String password,
            @AccountFields.Password String confirmPassword,
            @AccountFields.Name String name) {

        static Registration empty() {
            return new Registration("", "", "", "");
        }
    }

    record EmailAddress(@AccountFields.EmailAddress String email) {

        static EmailAddress empty() {
            return new EmailAddress("");
        }
    }

    record NewPassword(
            @AccountFields.LinkToken String token,
            @AccountFields.Password String password,
            @AccountFields.Password String confirmPassword) {
    }

    record PasswordChange(
            @AccountFields.Password String currentPassword,
            @AccountFields.Password String newPassword,
            @AccountFields.Password String confirmPassword) {

        static PasswordChange empty() {
            return new PasswordChange("", "", "");
        }
    }

    record EmailChange(
            @AccountFields.EmailAddress String newEmail,
            @AccountFields.Password String currentPassword) {

        static EmailChange empty() {
            return new EmailChange("", "");
        }
    }

    record Profile(@AccountFields.Name String name) {
    }
}
