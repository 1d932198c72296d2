package io.latchkey.account;

import java.util.Locale;

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
        if (!accounts.isUsableResetLink(token)) {
            return "reset-link-invalid";
        }
        model.addAttribute("form", new AccountForms.NewPassword(token, "", ""));
        model.addAttribute("minLength", policy.minLength());
        return "reset-password";
    }

    @PostMapping("/reset-password")
    String reset(@Valid @ModelAttribute("form") AccountForms.NewPassword form, BindingResult errors, Model model) {
        model.addAttribute("minLength", policy.minLength());
        if (!accounts.isUsableResetLink(form.token())) {
            return "reset-link-invalid";
        }
        if (form.password() != null && !form.password().equals(form.confirmPassword())) {
            errors.rejectValue("confirmPassword", "password.mismatch");
        }
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
