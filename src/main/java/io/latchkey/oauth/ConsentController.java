package io.latchkey.oauth;

import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import io.latchkey.account.UserDirectory;
import io.latchkey.client.ClientPolicies;
import io.latchkey.oauth.authorize.ClaimsRequest;

/**
 * The consent page: which application asks for which scopes, those already granted shown as such, and the claims
 * it asks for by name ({@link ClaimsRequest}), which approving releases.
 */
@Controller
class ConsentController {

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationConsentService consents;
    private final UserDirectory users;
    private final OAuth2AuthorizationService authorizations;

    ConsentController(RegisteredClientRepository clients, OAuth2AuthorizationConsentService consents,
            UserDirectory users, OAuth2AuthorizationService authorizations) {
        this.clients = clients;
        this.authorizations = authorizations;
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
        OAuth2AuthorizationRequest pending = pendingRequest(state);
        model.addAttribute("notYouContinue", authorizationRequestOf(pending));
        Map<String, Object> parameters = pending == null ? Map.of() : pending.getAdditionalParameters();
        // the framework forgets the response mode between request and consent: the form carries it on
        model.addAttribute("formPost", "form_post".equals(parameters.get("response_mode")));
        model.addAttribute("openid", pending != null && pending.getScopes().contains(OidcScopes.OPENID));
        model.addAttribute("claimsRequested", List.copyOf(new TreeSet<>(ClaimsRequest.ofParameters(parameters).all())));
        return "consent";
    }

    private OAuth2AuthorizationRequest pendingRequest(String state) {
        OAuth2Authorization pending = state.length() > 200 ? null
                : authorizations.findByToken(state, new OAuth2TokenType(OAuth2ParameterNames.STATE));
        return pending == null ? null : pending.getAttribute(OAuth2AuthorizationRequest.class.getName());
    }

    /**
     * The authorization request waiting for this consent, as a path on this server: "Not you?" signs out and sends
     * the browser there again, so the right user signs in and the application still gets its answer.
     */
    private static String authorizationRequestOf(OAuth2AuthorizationRequest request) {
        if (request == null || request.getAuthorizationRequestUri() == null) {
            return "/login";
        }
        UriComponents uri = UriComponentsBuilder.fromUriString(request.getAuthorizationRequestUri()).build();
        return uri.getPath() + (uri.getQuery() == null ? "" : "?" + uri.getQuery());
    }
}
