package io.latchkey.pages;

import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import io.latchkey.account.RegistrationSettings;
import io.latchkey.account.UserDirectory;
import io.latchkey.client.ClientPolicies;
import io.latchkey.session.SavedRequests;

/** The sign-in page and the page a user lands on when signing in without an application. */
@Controller
class LoginPageController {

    private final RegisteredClientRepository clients;
    private final RegistrationSettings registration;
    private final RequestCache savedRequests;
    private final KeptLoginEmail keptEmail;

    private final UserDirectory users;

    LoginPageController(RegisteredClientRepository clients, RegistrationSettings registration, SavedRequests saved,
            KeptLoginEmail keptEmail, UserDirectory users) {
        this.keptEmail = keptEmail;
        this.clients = clients;
        this.users = users;
        this.registration = registration;
        this.savedRequests = saved.ofPages();
    }

    @GetMapping("/login")
    String login(HttpServletRequest request, HttpServletResponse response, Model model) {
        HttpSession session = request.getSession(false);
        if (session != null && request.getParameter("unverified") != null) {
            Object unverified = session.getAttribute(LoginFailureRedirects.UNVERIFIED_EMAIL);
            model.addAttribute("unverifiedEmail", unverified);
            model.addAttribute("enteredEmail", unverified);
        }
        boolean failed = request.getParameter("error") != null;
        // Thymeleaf lets no request parameter into an attribute's value: the page learns of the failure here
        model.addAttribute("signInFailed", failed);
        if (failed) {
            model.addAttribute("enteredEmail", keptEmail.take(request, response));
        }
        model.addAttribute("registrationEnabled", registration.enabled());
        signedInAs(request, response, model);
        RegisteredClient client = applicationAskingForSignIn(request, response);
        if (client != null && model.getAttribute("enteredEmail") == null) {
            model.addAttribute("enteredEmail", LoginHint.of(savedRequestUrl(request, response)));
        }
        if (client != null) {
            model.addAttribute("clientName", client.getClientName());
            model.addAttribute("clientLogo", ClientPolicies.logoUri(client));
        }
        return "login";
    }

    @GetMapping("/")
    String home() {
        return "redirect:/account";
    }

    /**
     * Someone still signed in (an application asked to sign in again, prompt=login) sees who, with "Not you?": sign
     * out and come back to this same request.
     */
    private void signedInAs(HttpServletRequest request, HttpServletResponse response, Model model) {
        if (request.getUserPrincipal() == null) {
            return;
        }
        users.findBySubject(request.getUserPrincipal().getName()).ifPresent(user -> {
            model.addAttribute("signedInEmail", user.email());
            String back = "/login";
            try {
                SavedRequest saved = savedRequests.getRequest(request, response);
                if (saved != null) {
                    UriComponents url = UriComponentsBuilder.fromUriString(saved.getRedirectUrl()).build();
                    String local = url.getPath() + (url.getQuery() == null ? "" : "?" + url.getQuery());
                    back = NotYouSignOut.isFlow(local) ? local : back;
                }
            }
            catch (IllegalArgumentException garbledCookie) {
                // back to the sign-in page
            }
            model.addAttribute("notYouContinue", back);
        });
    }

    /** The URL of the request waiting for this sign-in; null without one. */
    private String savedRequestUrl(HttpServletRequest request, HttpServletResponse response) {
        try {
            SavedRequest saved = savedRequests.getRequest(request, response);
            return saved == null ? null : saved.getRedirectUrl();
        }
        catch (IllegalArgumentException garbledCookie) {
            return null;
        }
    }

    /** The application whose authorization request is waiting for this sign-in, if any. */
    private RegisteredClient applicationAskingForSignIn(HttpServletRequest request, HttpServletResponse response) {
        String clientId;
        try {
            String saved = savedRequestUrl(request, response);
            // a request saved in a cookie keeps its parameters in its URL only
            clientId = saved == null ? null : UriComponentsBuilder.fromUriString(saved).build()
                    .getQueryParams().getFirst("client_id");
            clientId = clientId == null ? null : UriUtils.decode(clientId, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException garbledCookie) {
            return null;
        }
        if (clientId == null) {
            return null;
        }
        return clientId.length() <= 100 ? clients.findByClientId(clientId) : null;
    }
}
