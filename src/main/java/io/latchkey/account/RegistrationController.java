package io.latchkey.account;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

@Controller
class RegistrationController {

    private final AccountService accounts;
    private final RegistrationSettings settings;
    private final PasswordPolicy policy;

    RegistrationController(AccountService accounts, RegistrationSettings settings, PasswordPolicy policy) {
        this.accounts = accounts;
        this.settings = settings;
        this.policy = policy;
    }

    @GetMapping("/register")
    String form(Model model) {
        requireEnabled();
        model.addAttribute("form", AccountForms.Registration.empty());
        model.addAttribute("minLength", policy.minLength());
        return "register";
    }

    @PostMapping("/register")
    String register(@Valid @ModelAttribute("form") AccountForms.Registration form, BindingResult errors, Model model,
            Locale locale, HttpServletRequest request) {
        requireEnabled();
        model.addAttribute("minLength", policy.minLength());
        if (!errors.hasFieldErrors("password")) {
            // every field is checked in one round: a bad email only leaves out the "not your email" rule
            String email = errors.hasFieldErrors("email") ? null : form.email();
            policy.violation(form.password(), email).ifPresent(violation -> errors.rejectValue("password", violation));
        }
        AccountForms.checkRepeated(form.password(), form.confirmPassword(), "confirmPassword", errors);
        if (errors.hasErrors()) {
            return "register"; // the page shows the email and name again, never the passwords
        }
        try {
            accounts.register(form.email(), form.password(), form.name(), locale, request.getRemoteAddr());
        }
        catch (AccountRuleViolation violation) {
            errors.rejectValue(violation.field(), violation.messageKey());
            return "register";
        }
        model.addAttribute("email", form.email().trim());
        return "check-email";
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }
}
