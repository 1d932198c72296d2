package io.latchkey.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.latchkey.account.AccountService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Password reset through the API, under {@code /api/v1/auth} and with no token: ask for a reset link, set a new
 * password with its token. Like the hosted pages, neither tells whether an email address has an account. The rules
 * are {@link AccountService}'s.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "auth")
@SecurityRequirements
class PasswordResetApiController {

    private final AccountService accounts;

    PasswordResetApiController(AccountService accounts) {
        this.accounts = accounts;
    }

    @PostMapping("/password-reset/request")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Mail a password reset link", description = "202 whether or not the address has an account; "
            + "429 with Retry-After over the limit per client IP. Over the limit per address, a link is mailed only "
            + "when the account has no usable one")
    void requestPasswordReset(@Valid @RequestBody ApiRequests.EmailAddress body, HttpServletRequest request) {
        accounts.requestPasswordReset(body.email(), LocaleContextHolder.getLocale(), request.getRemoteAddr());
    }

    @PostMapping("/password-reset/confirm")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Set a new password with a reset link's token",
            description = "Signs the user out everywhere and revokes their tokens")
    void confirmPasswordReset(@Valid @RequestBody ApiRequests.PasswordResetConfirmation body) {
        accounts.resetPassword(body.token(), body.password());
    }
}
