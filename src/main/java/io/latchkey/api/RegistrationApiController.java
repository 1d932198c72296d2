package io.latchkey.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.latchkey.account.AccountRuleViolation;
import io.latchkey.account.AccountService;
import io.latchkey.account.RegistrationSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Registration through the API, under {@code /api/v1/auth} and with no token: create an account, use its
 * verification link, ask for a new one. Like the hosted pages, none of them tells whether an email address has an
 * account. The rules are {@link AccountService}'s.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "auth", description = "Registration, email verification and password reset (no token needed)")
@SecurityRequirements
class RegistrationApiController {

    private final AccountService accounts;
    private final RegistrationSettings registration;

    RegistrationApiController(AccountService accounts, RegistrationSettings registration) {
        this.accounts = accounts;
        this.registration = registration;
    }

    @PostMapping("/register")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Create an account and mail a verification link",
            description = "202 whether or not the email already has an account; 400 when the input breaks a rule; "
                    + "429 with Retry-After over the limits per client IP and per address")
    void register(@Valid @RequestBody ApiRequests.Register body, HttpServletRequest request) {
        if (!registration.enabled()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Registration is closed");
        }
        accounts.register(body.email(), body.password(), body.name(), LocaleContextHolder.getLocale(),
                request.getRemoteAddr());
    }

    @PostMapping("/verify-email")
    @Operation(summary = "Use an email verification link's token")
    ResponseEntity<ApiResponses.EmailVerified> verifyEmail(@Valid @RequestBody ApiRequests.LinkToken body) {
        return accounts.verifyEmail(body.token())
                .map(account -> ResponseEntity.ok(new ApiResponses.EmailVerified(account.emailVerified())))
                .orElseThrow(() -> new AccountRuleViolation("token", "link.invalid"));
    }

    @PostMapping("/resend-verification")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Mail a new verification link", description = "202 whether or not the address has an account; "
            + "429 with Retry-After over the limits per client IP and per address")
    void resendVerification(@Valid @RequestBody ApiRequests.EmailAddress body, HttpServletRequest request) {
        accounts.resendVerification(body.email(), LocaleContextHolder.getLocale(), request.getRemoteAddr());
    }
}
