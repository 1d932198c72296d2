package io.latchkey.mfa;

import java.security.Principal;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

import io.latchkey.account.SecondFactor;
import io.latchkey.account.SecondFactorEnrolmentRequired;
import io.latchkey.account.TrustedDevices;

/**
 * {@value #PAGE}: set up an authenticator app (QR code and manual key, confirmed with a code; then the ten recovery
 * codes, shown once), and once set up: new recovery codes or removal, each with a fresh code.
 */
@Controller
class SecondFactorPageController {

    static final String PAGE = SecondFactorEnrolmentRequired.PAGE;
    private static final String VIEW = "second-factor";
    private static final String CODES_VIEW = "second-factor-recovery-codes";

    private final TotpSecondFactor secondFactor;
    private final TrustedDevices devices;
    private final java.time.Clock clock;

    SecondFactorPageController(TotpSecondFactor secondFactor, TrustedDevices devices, java.time.Clock clock) {
        this.secondFactor = secondFactor;
        this.devices = devices;
        this.clock = clock;
    }

    @GetMapping(PAGE)
    String page(Principal principal, Model model, HttpServletRequest request) {
        return page(UUID.fromString(principal.getName()), model, request);
    }

    @PostMapping(PAGE + "/start")
    String start(Principal principal) {
        UUID userId = UUID.fromString(principal.getName());
        if (!secondFactor.isEnrolled(userId)) {
            secondFactor.beginEnrolment(userId);
        }
        return "redirect:" + PAGE;
    }

    @PostMapping(PAGE + "/confirm")
    String confirm(Principal principal, @ModelAttribute("confirmForm") CodeForm form, BindingResult errors,
            Model model, HttpServletRequest request, HttpServletResponse response) {
        UUID userId = UUID.fromString(principal.getName());
        if (secondFactor.isEnrolled(userId)) {
            return "redirect:" + PAGE;
        }
        if (form.checkShape(errors)) {
            TotpSecondFactor.NewRecoveryCodes confirmed = secondFactor.confirmEnrolment(userId, form.code(),
                    devices.originOf(request));
            if (confirmed.accepted()) {
                // the code proved the authenticator: this session has the second factor from now on
                Authentication current = SecurityContextHolder.getContext().getAuthentication();
                FactorAdded.signIn(request, response, FactorAdded.with(current, confirmed.check().factor(),
                        clock.instant()));
                String afterwards = SecondFactorEnrolmentRequired.enrolled(request.getSession());
                return codes(confirmed.codes(), afterwards, true, model);
            }
            errors.rejectValue("code", "secondFactor.code.wrong");
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return page(userId, model, request);
    }

    @PostMapping(PAGE + "/recovery-codes")
    String regenerate(Principal principal, @ModelAttribute("regenerateForm") CodeForm form, BindingResult errors,
            Model model, HttpServletRequest request, HttpServletResponse response) {
        UUID userId = UUID.fromString(principal.getName());
        if (!secondFactor.isEnrolled(userId)) {
            return "redirect:" + PAGE;
        }
        if (form.checkShape(errors)) {
            TotpSecondFactor.NewRecoveryCodes fresh = secondFactor.regenerateRecoveryCodes(userId, form.code(),
                    devices.originOf(request));
            if (fresh.accepted()) {
                return codes(fresh.codes(), null, false, model);
            }
            errors.rejectValue("code", "secondFactor.code.wrong");
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return page(userId, model, request);
    }

    @PostMapping(PAGE + "/disable")
    String disable(Principal principal, @ModelAttribute("disableForm") CodeForm form, BindingResult errors,
            Model model, HttpServletRequest request, HttpServletResponse response) {
        UUID userId = UUID.fromString(principal.getName());
        if (!secondFactor.isEnrolled(userId)) {
            return "redirect:" + PAGE;
        }
        if (secondFactor.requiredFor(userId)) {
            errors.rejectValue("code", "secondFactor.disable.required");
        }
        else if (form.checkShape(errors)) {
            if (secondFactor.disable(userId, form.code(), devices.originOf(request)).accepted()) {
                return "redirect:" + PAGE + "?removed";
            }
            errors.rejectValue("code", "secondFactor.code.wrong");
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return page(userId, model, request);
    }

    private String codes(List<String> codes, String afterwards, boolean enrolled, Model model) {
        model.addAttribute("codes", codes);
        model.addAttribute("enrolled", enrolled);
        model.addAttribute("continueTo", afterwards != null ? afterwards : PAGE);
        return CODES_VIEW;
    }

    private String page(UUID userId, Model model, HttpServletRequest request) {
        boolean enrolled = secondFactor.isEnrolled(userId);
        model.addAttribute("enrolled", enrolled);
        model.addAttribute("held", SecondFactorEnrolmentRequired.held(request.getSession(false)));
        model.addAttribute("required", secondFactor.requiredFor(userId));
        for (String form : new String[] { "confirmForm", "regenerateForm", "disableForm" }) {
            if (!model.containsAttribute(form)) {
                model.addAttribute(form, CodeForm.empty());
                model.addAttribute(BindingResult.MODEL_KEY_PREFIX + form,
                        new BeanPropertyBindingResult(CodeForm.empty(), form));
            }
        }
        if (enrolled) {
            model.addAttribute("recoveryCodesLeft", secondFactor.recoveryCodesLeft(userId));
        }
        else {
            secondFactor.pendingEnrolment(userId).ifPresent(enrolment -> model.addAttribute("enrolment", enrolment));
        }
        return VIEW;
    }
}
