package io.latchkey.mfa;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.latchkey.account.CodeAttempts;
import io.latchkey.account.Passkeys;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.SignInFactors;
import io.latchkey.account.TrustedDevices;
import io.latchkey.runtime.ProductionCookies;
import io.latchkey.session.SessionOrCookieCsrfTokens;
import io.latchkey.session.SavedRequests;
import io.latchkey.session.SignInDetails;

/**
 * The code page ({@value #PATH}): the second step of a hosted sign-in whose password was right
 * ({@link PendingSecondStep}), and the step-up of a signed-in session that has no second factor yet. A right code
 * finishes the sign-in as the password form's success would (new session id, security context saved, the sign-in's
 * details and the device cookie, the audit record), with the code's factor added, and goes on to the saved request.
 *
 * <p>The page offers codes only to a user with a TOTP second factor, and a passkey (when passkeys are on and the user
 * has one, and the session was not made with a passkey already) through the passkey sign-in ({@code POST
 * /login/webauthn}): that is a whole new sign-in, with the factor {@link io.latchkey.account.SignInFactors#PASSKEY},
 * which then continues to the same saved request. A signed-in session is asked for its own passkeys only (Spring's
 * request options list them, and the assertion must be one of them), so another account's passkey is refused; after
 * the password step, as on the sign-in page, any account's passkey signs that account in, and the password step ends.
 */
@Controller
class SecondStepController {

    static final String PATH = "/login/second-factor";
    private static final String VIEW = "second-factor-code";

    private final PendingSecondStep pendingSteps;
    private final SecondFactor secondFactor;
    private final Passkeys passkeys;
    private final CodeAttempts attempts;
    private final TrustedDevices devices;
    private final SignInDetails signIns;
    private final RequestCache savedRequests;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SessionOrCookieCsrfTokens csrfTokens;

    SecondStepController(PendingSecondStep pendingSteps, SecondFactor secondFactor, CodeAttempts attempts,
            TrustedDevices devices, SignInDetails signIns, SavedRequests saved, ApplicationEventPublisher events,
            Clock clock, ProductionCookies cookies, Passkeys passkeys) {
        this.passkeys = passkeys;
        this.csrfTokens = new SessionOrCookieCsrfTokens(cookies);
        this.pendingSteps = pendingSteps;
        this.secondFactor = secondFactor;
        this.attempts = attempts;
        this.devices = devices;
        this.signIns = signIns;
        this.savedRequests = saved.ofPages();
        this.events = events;
        this.clock = clock;
    }

    /**
     * Whose code is asked for, whether it finishes a sign-in or steps a session up, and what the page offers: the
     * code form, a passkey, or both.
     */
    private record Step(UUID userId, Authentication base, boolean signIn, String typedEmail, boolean offersCode,
            boolean offersPasskey) {
    }

    @GetMapping(PATH)
    String page(@RequestParam(name = "recovery", required = false) String recovery, Model model,
            HttpServletRequest request) {
        Optional<Step> step = step(request);
        if (step.isEmpty()) {
            return signedInWithSecondFactor() ? "redirect:/" : "redirect:/login";
        }
        model.addAttribute("codeForm", CodeForm.empty());
        return page(step.get(), recovery != null, model);
    }

    @PostMapping(PATH)
    String check(@ModelAttribute("codeForm") CodeForm form, BindingResult errors,
            @RequestParam(name = "recovery", required = false) String recovery, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        Optional<Step> found = step(request);
        if (found.isEmpty()) {
            // the password step expired (or never was): start again
            return "redirect:/login?expired";
        }
        Step step = found.get();
        if (!step.offersCode()) {
            // no TOTP factor, so no code to check: the page offers the passkey only
            return "redirect:" + PATH;
        }
        if (!form.checkShape(errors)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return page(step, recovery != null, model);
        }
        SecondFactor.CodeCheck check = secondFactor.check(step.userId(), form.code(), devices.originOf(request));
        if (!check.accepted()) {
            if (step.signIn() && attempts.refusesCodes(step.userId(), devices.originOf(request))) {
                // locked meanwhile: the same page as a sign-in refused for any reason
                pendingSteps.end(request);
                return "redirect:/login?error";
            }
            errors.rejectValue("code", "secondFactor.code.wrong");
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return page(step, recovery != null, model);
        }
        Authentication signedIn = FactorAdded.with(step.base(), check.factor(), clock.instant());
        if (step.signIn()) {
            pendingSteps.end(request);
        }
        FactorAdded.signIn(request, response, signedIn, csrfTokens);
        if (step.signIn()) {
            events.publishEvent(new AuthenticationSuccessEvent(signedIn));
            if (step.typedEmail() != null) {
                devices.remember(request, response, step.typedEmail());
            }
            try {
                signIns.recording((req, res, auth) -> {
                }).onAuthenticationSuccess(request, response, signedIn);
            }
            catch (java.io.IOException | jakarta.servlet.ServletException ex) {
                throw new IllegalStateException(ex);
            }
        }
        SavedRequest saved = savedRequests.getRequest(request, response);
        savedRequests.removeRequest(request, response);
        return "redirect:" + (saved == null ? "/" : saved.getRedirectUrl());
    }

    /** "Not you? Start over": forgets the password step and goes back to the sign-in form. */
    @PostMapping(PATH + "/start-over")
    String startOver(HttpServletRequest request) {
        pendingSteps.end(request);
        return "redirect:/login";
    }

    private String page(Step step, boolean recovery, Model model) {
        model.addAttribute("signIn", step.signIn());
        model.addAttribute("offersCode", step.offersCode());
        model.addAttribute("offersPasskey", step.offersPasskey());
        model.addAttribute("recovery", recovery && step.offersCode());
        model.addAttribute("email", step.typedEmail());
        return VIEW;
    }

    private Optional<Step> step(HttpServletRequest request) {
        Optional<PendingSecondStep.Pending> pending = pendingSteps.current(request);
        if (pending.isPresent() && passkeySignInSince(pending.get().since())) {
            // the password step was overtaken by a passkey sign-in on the same browser: it is finished
            pendingSteps.end(request);
            pending = Optional.empty();
        }
        if (pending.isPresent()) {
            PendingSecondStep.Pending step = pending.get();
            return Optional.of(new Step(step.userId(), step.passwordStep(), true, step.typedEmail(), true,
                    passkeys.canSignInWithPasskey(step.userId())));
        }
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        UUID userId = signedInUser(current);
        if (userId == null) {
            return Optional.empty();
        }
        boolean code = !SignInFactors.beyondPassword(current) && secondFactor.isEnrolled(userId);
        // a session made with a passkey is already as strong as a passkey makes it
        boolean passkey = !SignInFactors.of(current).contains(SignInFactors.PASSKEY)
                && passkeys.canSignInWithPasskey(userId);
        if (!code && !passkey) {
            return Optional.empty();
        }
        return Optional.of(new Step(userId, current, false, null, code, passkey));
    }

    private static boolean passkeySignInSince(java.time.Instant since) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        return signedInUser(current) != null && current.getAuthorities().stream()
                .filter(FactorGrantedAuthority.class::isInstance)
                .map(FactorGrantedAuthority.class::cast)
                .anyMatch(factor -> SignInFactors.PASSKEY.equals(factor.getAuthority())
                        && !factor.getIssuedAt().isBefore(since));
    }

    private static boolean signedInWithSecondFactor() {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        return signedInUser(current) != null && SignInFactors.beyondPassword(current);
    }

    private static UUID signedInUser(Authentication current) {
        if (current == null || !current.isAuthenticated() || current instanceof AnonymousAuthenticationToken) {
            return null;
        }
        try {
            return UUID.fromString(current.getName());
        }
        catch (IllegalArgumentException notAUser) {
            return null;
        }
    }
}
