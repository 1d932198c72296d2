package io.latchkey.oauth;

import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import io.latchkey.account.UserDirectory;
import io.latchkey.client.ClientPolicies;

/** The consent page: which application asks for which scopes, those already granted shown as such. */
@Controller
class ConsentController {

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationConsentService consents;
    private final UserDirectory users;

    ConsentController(RegisteredClientRepository clients, OAuth2AuthorizationConsentService consents,
            UserDirectory users) {
        this.clients = clients;
        this.consents = consents;
        this.users = users;
    }

    @GetMapping(OAuthEntryPoints.CONSENT_PAGE)
    String consent(Principal principal, Model model,
            @RequestParam(OAuth2ParameterNames.CLIENT_ID) String clientId,
            @RequestParam(OAuth2ParameterNames.SCOPE) String scope,
            @RequestParam(OAuth2ParameterNames.STATE) String state) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown client");
        }
        OAuth2AuthorizationConsent existing = consents.findById(client.getId(), principal.getName());
        Set<String> alreadyGranted = existing == null ? Set.of() : existing.getScopes();
        Set<String> toApprove = new LinkedHashSet<>();
        Set<String> granted = new LinkedHashSet<>();
        for (String requested : Arrays.asList(scope.split(" "))) {
            if (requested.isBlank() || OidcScopes.OPENID.equals(requested) || !client.getScopes().contains(requested)) {
                continue;
            }
            (alreadyGranted.contains(requested) ? granted : toApprove).add(requested);
        }
        model.addAttribute("clientId", clientId);
        model.addAttribute("clientName", client.getClientName());
        model.addAttribute("clientLogo", ClientPolicies.logoUri(client));
        model.addAttribute("state", state);
        model.addAttribute("scopesToApprove", List.copyOf(toApprove));
        model.addAttribute("scopesGranted", List.copyOf(granted));
        model.addAttribute("userEmail", users.findBySubject(principal.getName()).map(u -> u.email()).orElse(""));
        return "consent";
    }
}
