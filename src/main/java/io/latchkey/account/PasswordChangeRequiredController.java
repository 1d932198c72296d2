package io.latchkey.account;

import java.security.Principal;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

import io.latchkey.session.UserSessions;

/**
 * The page a user is held on until they replace a password that must be changed ({@link PasswordChangeRequired}):
 * the same rules as the account page's password change; afterwards the user goes on where they were headed.
 */
@Controller
class PasswordChangeRequiredController {

    private final AccountService accounts;
    private final PasswordPolicy policy;
    private final TrustedDevices devices;

    PasswordChangeRequiredController(AccountService accounts, PasswordPolicy policy, TrustedDevices devices) {
        this.accounts = accounts;
        this.policy = policy;
        this.devices = devices;
    }

    @GetMapping(PasswordChangeRequired.PAGE)
    String page(Principal principal, Model model) {
        model.addAttribute("passwordForm", AccountForms.PasswordChange.empty());
        return page(UUID.fromString(principal.getName()), model);
    }

    @PostMapping(PasswordChangeRequired.PAGE)
    String change(Principal principal, @Valid @ModelAttribute("passwordForm") AccountForms.PasswordChange form,
            BindingResult errors, Model model, HttpServletRequest request) {
        UUID userId = UUID.fromString(principal.getName());
        if (form.newPassword() != null && !form.newPassword().equals(form.confirmPassword())) {
            errors.rejectValue("confirmPassword", "password.mismatch");
        }
        if (!errors.hasErrors()) {
            try {
                accounts.changePassword(userId, form.currentPassword(), form.newPassword(), devices.originOf(request),
                        null, UserSessions.currentSessionId());
                String afterwards = PasswordChangeRequired.changed(request.getSession());
                return "redirect:" + (afterwards != null ? afterwards : "/account?saved=password");
            }
            catch (AccountRuleViolation violation) {
                errors.rejectValue(violation.field(), violation.messageKey());
            }
        }
        return page(userId, model);
    }

    private String page(UUID userId, Model model) {
        model.addAttribute("email", accounts.find(userId).map(UserAccount::email).orElse(""));
        model.addAttribute("minLength", policy.minLength());
        return "change-password";
    }
}
