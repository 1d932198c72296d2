package io.latchkey.api;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The JSON bodies the API accepts. Fields a body does not define are ignored (and so can never set
 * anything: {@code {"name": "x", "roles": ["admin"]}} on {@code PATCH /users/me} changes the name only).
 * Messages are keys of {@code messages.properties}, shared with the hosted pages.
 */
final class ApiRequests {

    static final String NO_CONTROL_CHARACTERS = "[^\\p{Cntrl}]*";
    static final int MAX_SECRET_LENGTH = 1000;

    private ApiRequests() {
    }

    record Register(
            @NotBlank(message = "{email.required}") @Size(max = 254, message = "{email.tooLong}")
            @Email(message = "{email.invalid}") @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{email.invalid}") String email,
            @Size(max = MAX_SECRET_LENGTH, message = "{password.tooLong}") String password,
            @Size(max = 200, message = "{name.tooLong}") @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{name.invalid}") String name) {
    }

    record Login(
            @NotBlank(message = "{email.required}") @Size(max = 320, message = "{email.tooLong}") String username,
            @NotBlank(message = "{password.required}") @Size(max = MAX_SECRET_LENGTH, message = "{password.tooLong}") String password,
            @Size(max = 1000, message = "{scope.tooLong}") String scope) {
    }

    record RefreshToken(
            @NotBlank(message = "{token.required}") @Size(max = 200, message = "{token.required}") String refresh_token) {
    }

    record EmailAddress(
            @NotBlank(message = "{email.required}") @Size(max = 254, message = "{email.tooLong}")
            @Email(message = "{email.invalid}") @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{email.invalid}") String email) {
    }

    record LinkToken(
            @NotBlank(message = "{field.required}") @Size(max = 100, message = "{link.invalid}") String token) {
    }

    record PasswordResetConfirmation(
            @NotBlank(message = "{field.required}") @Size(max = 100, message = "{link.invalid}") String token,
            @Size(max = MAX_SECRET_LENGTH, message = "{password.tooLong}") String password) {
    }

    /** The name to show; {@code ""} removes it. */
    record Profile(
            @NotNull(message = "{field.required}") @Size(max = 200, message = "{name.tooLong}")
            @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{name.invalid}") String name) {
    }

    record PasswordChange(
            @NotNull(message = "{field.required}") @Size(max = MAX_SECRET_LENGTH, message = "{password.tooLong}") String currentPassword,
            @Size(max = MAX_SECRET_LENGTH, message = "{password.tooLong}") String newPassword) {
    }

    /** An administrator's change; a field left out (or null) stays as it is, and {@code "name": ""} removes the name. */
    record UserChange(
            @Size(max = 200, message = "{name.tooLong}") @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{name.invalid}") String name,
            Boolean enabled) {
    }

    record Roles(
            @NotNull(message = "{field.required}") @Size(max = 50, message = "{roles.unknown}") List<String> roles) {
    }
}
