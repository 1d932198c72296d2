package io.latchkey.web;

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

import io.latchkey.account.RegistrationSettings;
import io.latchkey.client.ClientPolicies;
import io.latchkey.session.SavedRequests;

/** The sign-in page and the page a user lands on when signing in without an application. */
@Controller
class PageController {

    private final RegisteredClientRepository clients;
    private final RegistrationSettings registration;
    private final RequestCache savedRequests = SavedRequests.ofPages();

    PageController(RegisteredClientRepository clients, RegistrationSettings registration) {
        this.clients = clients;
        this.registration = registration;
    }

    @GetMapping("/login")
    String login(HttpServletRequest request, HttpServletResponse response, Model model) {
        HttpSession session = request.getSession(false);
        if (session != null && request.getParameter("unverified") != null) {
            model.addAttribute("unverifiedEmail", session.getAttribute(LoginFailureRedirects.UNVERIFIED_EMAIL));
        }
        model.addAttribute("registrationEnabled", registration.enabled());
        RegisteredClient client = applicationAskingForSignIn(request, response);
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

    /** The application whose authorization request is waiting for this sign-in, if any. */
    private RegisteredClient applicationAskingForSignIn(HttpServletRequest request, HttpServletResponse response) {
        SavedRequest saved = savedRequests.getRequest(request, response);
        if (saved == null || saved.getParameterValues("client_id") == null) {
            return null;
        }
        String clientId = saved.getParameterValues("client_id")[0];
        return clientId.length() <= 100 ? clients.findByClientId(clientId) : null;
    }
}
