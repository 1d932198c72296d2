package io.latchkey.account;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The undo link in the notice to an old address. Like the verification link, it opens a page with a button
 * and only the POST uses it, so mail scanners that fetch links cannot. The POST ends on the reset-password
 * form with a fresh reset token, as the old password no longer works.
 */
@Controller
class EmailChangeUndoController {

    private final AccountService accounts;
    private final PasswordPolicy policy;

    EmailChangeUndoController(AccountService accounts, PasswordPolicy policy) {
        this.accounts = accounts;
        this.policy = policy;
    }

    @GetMapping("/undo-email-change")
    String confirm(@RequestParam(name = "token", required = false) String token, Model model) {
        return accounts.emailRestoredBy(token).map(restored -> {
            model.addAttribute("token", token);
            model.addAttribute("restoredEmail", restored);
            return "undo-email-change";
        }).orElse("undo-link-invalid");
    }

    @PostMapping("/undo-email-change")
    String undo(@RequestParam(name = "token", required = false) String token, Model model) {
        return accounts.undoEmailChange(token).map(undone -> {
            model.addAttribute("form", new AccountForms.NewPassword(undone.resetToken(), "", ""));
            model.addAttribute("minLength", policy.minLength());
            model.addAttribute("restoredEmail", undone.restoredEmail());
            return "reset-password";
        }).orElse("undo-link-invalid");
    }
}
