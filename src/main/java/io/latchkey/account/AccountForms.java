package io.latchkey.account;

/** What the hosted account forms post, with the checks a form can make by itself ({@link AccountFields}). */
final class AccountForms {

    private AccountForms() {
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
