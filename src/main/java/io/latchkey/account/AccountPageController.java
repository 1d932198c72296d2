package io.latchkey.account;

import java.security.Principal;
import java.util.Locale;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.latchkey.audit.AuditEventType;
import io.latchkey.session.UserSessions;

/**
 * The signed-in user's own page, in sections: profile; security (password, email address, active sessions);
 * connected applications; recent activity (sign-ins).
 */
@Controller
class AccountPageController {

    private static final int RECENT_SIGN_INS = 10;

    private final AccountService accounts;
    private final ConnectedApplications applications;
    private final AccountAudit audit;
    private final PasswordPolicy policy;
    private final TrustedDevices devices;
    private final UserSessions sessions;
    private final AccountActivity activity;

    private final Passwordless passwordless;

    AccountPageController(AccountService accounts, ConnectedApplications applications, AccountAudit audit,
            PasswordPolicy policy, TrustedDevices devices, UserSessions sessions, AccountActivity activity,
            Passwordless passwordless) {
        this.passwordless = passwordless;
        this.sessions = sessions;
        this.activity = activity;
        this.accounts = accounts;
        this.applications = applications;
        this.audit = audit;
        this.policy = policy;
        this.devices = devices;
    }

    @GetMapping("/account")
    String page(Principal principal, Model model) {
        UUID userId = UUID.fromString(principal.getName());
        populate(userId, model);
        model.addAttribute("profileForm", new AccountForms.Profile(
                accounts.find(userId).map(UserAccount::name).orElse("")));
        model.addAttribute("passwordForm", AccountForms.PasswordChange.empty());
        model.addAttribute("emailForm", AccountForms.EmailChange.empty());
        return "account";
    }

    @PostMapping("/account/profile")
    String profile(Principal principal, @Valid @ModelAttribute("profileForm") AccountForms.Profile form,
            BindingResult errors, Model model) {
        UUID userId = UUID.fromString(principal.getName());
        if (errors.hasErrors()) {
            return again(userId, model);
        }
        accounts.updateName(userId, form.name());
        return "redirect:/account?saved=profile";
    }

    @PostMapping("/account/password")
    String password(Principal principal, @Valid @ModelAttribute("passwordForm") AccountForms.PasswordChange form,
            BindingResult errors, Model model, HttpServletRequest request) {
        UUID userId = UUID.fromString(principal.getName());
        if (!errors.hasFieldErrors("newPassword")) {
            policy.violation(form.newPassword(), accounts.find(userId).map(UserAccount::email).orElse(null))
                    .ifPresent(violation -> errors.rejectValue("newPassword", violation));
        }
        AccountForms.checkRepeated(form.newPassword(), form.confirmPassword(), "confirmPassword", errors);
        if (AccountForms.checkCurrentPasswordGiven(form.currentPassword(), "currentPassword", errors)) {
            try {
                if (errors.hasErrors()) {
                    // nothing changes, but a wrong current password is named with the other errors
                    accounts.checkCurrentPassword(userId, form.currentPassword(), devices.originOf(request));
                }
                else {
                    // every other session ends; this one just proved the current password
                    accounts.changePassword(userId, form.currentPassword(), form.newPassword(),
                            devices.originOf(request), null, UserSessions.currentSessionId());
                    return "redirect:/account?saved=password";
                }
            }
            catch (AccountRuleViolation violation) {
                errors.rejectValue(violation.field(), violation.messageKey());
            }
        }
        return again(userId, model);
    }

    @PostMapping("/account/email")
    String email(Principal principal, @Valid @ModelAttribute("emailForm") AccountForms.EmailChange form,
            BindingResult errors, Model model, Locale locale, HttpServletRequest request, RedirectAttributes saved) {
        UUID userId = UUID.fromString(principal.getName());
        if (!errors.hasFieldErrors("newEmail") && accounts.find(userId).map(UserAccount::email)
                .map(UserRepository::normalize).filter(UserRepository.normalize(form.newEmail())::equals).isPresent()) {
            errors.rejectValue("newEmail", "email.same");
        }
        if (AccountForms.checkCurrentPasswordGiven(form.currentPassword(), "currentPassword", errors)) {
            try {
                if (errors.hasErrors()) {
                    // nothing changes, but a wrong current password is named with the other errors
                    accounts.checkCurrentPassword(userId, form.currentPassword(), devices.originOf(request));
                }
                else {
                    accounts.requestEmailChange(userId, form.currentPassword(), form.newEmail(), locale,
                            devices.originOf(request));
                    // the message names the address the link went to, so a typo shows at once
                    saved.addFlashAttribute("pendingEmail", form.newEmail().trim());
                    return "redirect:/account?saved=email";
                }
            }
            catch (AccountRuleViolation violation) {
                errors.rejectValue(violation.field(), violation.messageKey());
            }
        }
        return again(userId, model);
    }

    @PostMapping("/account/apps/revoke")
    String revoke(Principal principal, @RequestParam(name = "clientId", required = false) String clientId) {
        UUID userId = UUID.fromString(principal.getName());
        // a client id has no control characters (PostgreSQL would refuse a NUL in a query): such a one is unknown
        if (clientId != null && clientId.length() <= 100 && clientId.matches(AccountFields.NO_CONTROL_CHARACTERS)
                && applications.revoke(userId.toString(), clientId)) {
            audit.record(AuditEventType.CONSENT_REVOKED, userId, clientId);
            return "redirect:/account?saved=revoked";
        }
        return "redirect:/account";
    }

    /** Ends one of the user's sessions, on whichever instance it lives; ending this one signs out. */
    @PostMapping("/account/sessions/end")
    String endSession(Principal principal, @RequestParam(name = "session", required = false) String handle) {
        return switch (sessions.end(principal.getName(), handle)) {
            case ENDED_CURRENT -> "redirect:/login?logout";
            case ENDED_OTHER -> "redirect:/account?saved=sessionEnded";
            case NOT_FOUND -> "redirect:/account";
        };
    }

    /** Ends every session of the user but this one. */
    @PostMapping("/account/sessions/end-others")
    String endOtherSessions(Principal principal) {
        sessions.endAllExcept(principal.getName(), UserSessions.currentSessionId());
        return "redirect:/account?saved=otherSessionsEnded";
    }

    /**
     * The page again after a form error: the failed form keeps its binding (and so its error messages;
     * password fields are never filled back in), the other forms start empty.
     */
    private String again(UUID userId, Model model) {
        populate(userId, model);
        if (!model.containsAttribute("profileForm")) {
            model.addAttribute("profileForm", new AccountForms.Profile(
                    accounts.find(userId).map(UserAccount::name).orElse("")));
        }
        if (!model.containsAttribute("passwordForm")) {
            model.addAttribute("passwordForm", AccountForms.PasswordChange.empty());
        }
        if (!model.containsAttribute("emailForm")) {
            model.addAttribute("emailForm", AccountForms.EmailChange.empty());
        }
        return "account";
    }

    private void populate(UUID userId, Model model) {
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("account", accounts.find(userId).orElseThrow());
        model.addAttribute("applications", applications.consentedApplications(userId.toString()));
        model.addAttribute("signIns", activity.signIns(audit.recentSignIns(userId, RECENT_SIGN_INS), locale));
        model.addAttribute("sessions", activity.sessions(sessions.activeSessions(userId.toString()), locale));
        model.addAttribute("minLength", policy.minLength());
        // a passwordless account has no current password to type, so the page offers a reset link instead
        model.addAttribute("hasPassword", passwordless.hasPassword(userId));
    }
}
