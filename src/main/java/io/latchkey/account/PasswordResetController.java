package io.latchkey.account;

import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class PasswordResetController {

    private final AccountService accounts;
    private final PasswordPolicy policy;

    PasswordResetController(AccountService accounts, PasswordPolicy policy) {
        this.accounts = accounts;
        this.policy = policy;
    }

    @GetMapping("/forgot-password")
    String forgotForm(Model model) {
        model.addAttribute("form", AccountForms.EmailAddress.empty());
        return "forgot-password";
    }

    /** Always the same page, whether or not the address has an account. */
    @PostMapping("/forgot-password")
    String forgot(@Valid @ModelAttribute("form") AccountForms.EmailAddress form, BindingResult errors, Locale locale,
            HttpServletRequest request) {
        if (errors.hasErrors()) {
            return "forgot-password";
        }
        accounts.requestPasswordReset(form.email(), locale, request.getRemoteAddr());
        return "forgot-password-sent";
    }

    @GetMapping("/reset-password")
    String resetForm(@RequestParam(name = "token", required = false) String token, Model model) {
        Optional<UserAccount> account = accounts.resetLinkAccount(token);
        if (account.isEmpty()) {
            return "reset-link-invalid";
        }
        model.addAttribute("form", new AccountForms.NewPassword(token, "", ""));
        model.addAttribute("minLength", policy.minLength());
        // for password managers: the account the new password belongs to, in a hidden username field
        model.addAttribute("username", account.get().email());
        return "reset-password";
    }

    @PostMapping("/reset-password")
    String reset(@Valid @ModelAttribute("form") AccountForms.NewPassword form, BindingResult errors, Model model) {
        model.addAttribute("minLength", policy.minLength());
        Optional<UserAccount> account = errors.hasFieldErrors("token") ? Optional.empty()
                : accounts.resetLinkAccount(form.token());
        if (account.isEmpty()) {
            return "reset-link-invalid";
        }
        model.addAttribute("username", account.get().email());
        if (!errors.hasFieldErrors("password")) {
            policy.violation(form.password(), account.get().email())
                    .ifPresent(violation -> errors.rejectValue("password", violation));
        }
        AccountForms.checkRepeated(form.password(), form.confirmPassword(), "confirmPassword", errors);
        if (!errors.hasErrors()) {
            try {
                accounts.resetPassword(form.token(), form.password());
                return "password-reset-done";
            }
            catch (AccountRuleViolation violation) {
                if ("token".equals(violation.field())) {
                    return "reset-link-invalid";
                }
                errors.rejectValue(violation.field(), violation.messageKey());
            }
        }
        return "reset-password";
    }
}
