package io.latchkey.api;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.latchkey.account.AccountFields;

/**
 * The JSON bodies the API accepts. Fields a body does not define are ignored (and so can never set
 * anything: {@code {"name": "x", "roles": ["admin"]}} on {@code PATCH /users/me} changes the name only).
 * Messages are keys of {@code messages.properties}, shared with the hosted pages.
 */
final class ApiRequests {

    private ApiRequests() {
    }

    record Register(
            @AccountFields.EmailAddress String email,
            @AccountFields.Password String password,
            @AccountFields.Name String name) {
    }

    record Login(
            @NotBlank(message = "{email.required}") @Size(max = 320, message = "{email.tooLong}") String username,
            @NotBlank(message = "{password.required}") @AccountFields.Password String password,
            @Size(max = 1000, message = "{scope.tooLong}") String scope) {
    }

    record RefreshToken(
            @NotBlank(message = "{token.required}") @Size(max = 200, message = "{token.required}") String refresh_token) {
    }

    record EmailAddress(@AccountFields.EmailAddress String email) {
    }

    record LinkToken(
            @NotBlank(message = "{field.required}") @AccountFields.LinkToken String token) {
    }

    record PasswordResetConfirmation(
            @NotBlank(message = "{field.required}") @AccountFields.LinkToken String token,
            @AccountFields.Password String password) {
    }

    /** The name to show; {@code ""} removes it. */
    record Profile(
            @NotNull(message = "{field.required}") @AccountFields.Name String name) {
    }

    record PasswordChange(
            @NotNull(message = "{field.required}") @AccountFields.Password String currentPassword,
            @AccountFields.Password String newPassword) {
    }

    /** An administrator's change; a field left out (or null) stays as it is, and {@code "name": ""} removes the name. */
    record UserChange(@AccountFields.Name String name, Boolean enabled) {
    }

    record Roles(
            @NotNull(message = "{field.required}") @Size(max = 50, message = "{roles.unknown}") List<String> roles) {
    }
}
