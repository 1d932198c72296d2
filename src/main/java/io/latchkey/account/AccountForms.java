package io.latchkey.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What the hosted account forms post, with the checks a form can make by itself. */
final class AccountForms {

    static final String NO_CONTROL_CHARACTERS = "[^\\p{Cntrl}]*";

    private AccountForms() {
    }

    record Registration(
            @NotBlank(message = "{email.required}") @Size(max = 254, message = "{email.tooLong}")
            @Email(message = "{email.invalid}") @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{email.invalid}") String email,
            @Size(max = 1000, message = "{password.tooLong}") String password,
            @Size(max = 1000, message = "{password.tooLong}") String confirmPassword,
            @Size(max = AccountService.MAX_NAME_LENGTH, message = "{name.tooLong}")
            @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{name.invalid}") String name) {

        static Registration empty() {
            return new Registration("", "", "", "");
        }
    }

    record EmailAddress(
            @NotBlank(message = "{email.required}") @Size(max = 254, message = "{email.tooLong}")
            @Email(message = "{email.invalid}") @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{email.invalid}") String email) {

        static EmailAddress empty() {
            return new EmailAddress("");
        }
    }

    record NewPassword(
            @Size(max = 100, message = "{link.invalid}") String token,
            @Size(max = 1000, message = "{password.tooLong}") String password,
            @Size(max = 1000, message = "{password.tooLong}") String confirmPassword) {
    }

    record PasswordChange(
            @Size(max = 1000, message = "{password.tooLong}") String currentPassword,
            @Size(max = 1000, message = "{password.tooLong}") String newPassword,
            @Size(max = 1000, message = "{password.tooLong}") String confirmPassword) {

        static PasswordChange empty() {
            return new PasswordChange("", "", "");
        }
    }

    record EmailChange(
            @NotBlank(message = "{email.required}") @Size(max = 254, message = "{email.tooLong}")
            @Email(message = "{email.invalid}") @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{email.invalid}") String newEmail,
            @Size(max = 1000, message = "{password.tooLong}") String currentPassword) {

        static EmailChange empty() {
            return new EmailChange("", "");
        }
    }

    record Profile(
            @Size(max = AccountService.MAX_NAME_LENGTH, message = "{name.tooLong}")
            @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{name.invalid}") String name) {
    }
}
