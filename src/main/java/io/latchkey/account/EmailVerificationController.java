package io.latchkey.account;

import java.security.Principal;
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

/**
 * The link in a verification mail opens a page with a button: only the POST uses the link, so mail
 * scanners that fetch links cannot use it up.
 */
@Controller
class EmailVerificationController {

    private final AccountService accounts;

    EmailVerificationController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/verify-email")
    String confirm(@RequestParam(name = "token", required = false) String token, Model model) {
        if (!accounts.isUsableVerificationLink(token)) {
            model.addAttribute("resendForm", AccountForms.EmailAddress.empty());
            return "link-invalid";
        }
        model.addAttribute("token", token);
        return "verify-email";
    }

    @PostMapping("/verify-email")
    String verify(@RequestParam(name = "token", required = false) String token, Principal principal, Model model) {
        return accounts.verifyEmail(token).map(account -> {
            // someone already signed in is not told to sign in: they see the address now on their account
            if (principal != null) {
                model.addAttribute("signedInEmail", account.email());
            }
            return "email-verified";
        }).orElseGet(() -> {
            model.addAttribute("resendForm", AccountForms.EmailAddress.empty());
            return "link-invalid";
        });
    }

    @PostMapping("/verify-email/resend")
    String resend(@Valid @ModelAttribute("resendForm") AccountForms.EmailAddress form, BindingResult errors,
            Locale locale, HttpServletRequest request) {
        if (errors.hasErrors()) {
            return "link-invalid";
        }
        accounts.resendVerification(form.email(), locale, request.getRemoteAddr());
        return "verification-resent";
    }
}
