package io.latchkey.oauth.device;

import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import io.latchkey.account.UserDirectory;
import io.latchkey.client.ClientPolicies;
import io.latchkey.http.ClientAddresses;
import io.latchkey.ratelimit.CredentialGuard;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * The activation page ({@code verification_uri}): a signed-in user types the code their device shows (or arrives
 * with it filled in from {@code verification_uri_complete}; nothing is approved until they say so), sees which
 * application asks and for which scopes, and approves or denies. The page checks the code itself, counting wrong
 * ones ({@link UserCodeGuesses}), then hands it to the framework's verification endpoint, which asks for consent
 * here ({@link #CONSENT}) and records the answer.
 */
@Controller
class ActivationController {

    static final String PATH = "/activate";
    static final String CONSENT = PATH + "/consent";
    static final String DONE = PATH + "/done";
    static final String DENIED = PATH + "/denied";
    private static final String VIEW = "activate";
    private static final OAuth2TokenType USER_CODE = new OAuth2TokenType(OAuth2ParameterNames.USER_CODE);

    private final OAuth2AuthorizationService authorizations;
    private final RegisteredClientRepository clients;
    private final CredentialGuard guard;
    private final ClientAddresses addresses;
    private final DeviceSettings settings;
    private final UserDirectory users;
    private final String verificationEndpoint;

    ActivationController(OAuth2AuthorizationService authorizations, RegisteredClientRepository clients,
            CredentialGuard guard, ClientAddresses addresses, DeviceSettings settings, UserDirectory users,
            AuthorizationServerSettings serverSettings) {
        this.authorizations = authorizations;
        this.clients = clients;
        this.guard = guard;
        this.addresses = addresses;
        this.settings = settings;
        this.users = users;
        this.verificationEndpoint = serverSettings.getDeviceVerificationEndpoint();
    }

    @GetMapping(PATH)
    String enter(@RequestParam(name = OAuth2ParameterNames.USER_CODE, required = false) String userCode,
            @RequestParam(name = "error", required = false) String error, Model model, HttpServletResponse response) {
        model.addAttribute("userCode", UserCodes.displayable(userCode));
        if (error != null) {
            model.addAttribute("codeError", true);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
        }
        return VIEW;
    }

    @PostMapping(PATH)
    String submit(@RequestParam(name = OAuth2ParameterNames.USER_CODE, required = false) String typed, Model model,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        String clientIp = addresses.clientIp(request);
        Verdict verdict = guard.checkCodeEntry(UserCodeGuesses.RATE_LIMIT_KIND, clientIp,
                settings.wrongUserCodesPerIp(), settings.wrongUserCodeWindow());
        if (!verdict.allowed()) {
            RateLimitResponses.sendHostedPage(request, response, verdict);
            return null;
        }
        String userCode = UserCodes.normalize(typed).orElse(null);
        if (userCode == null || !isPending(userCode)) {
            UserCodeGuesses.wrong(guard, clientIp, settings);
            model.addAttribute("userCode", "");
            model.addAttribute("codeError", true);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return VIEW;
        }
        return "redirect:" + UriComponentsBuilder.fromPath(verificationEndpoint)
                .queryParam(OAuth2ParameterNames.USER_CODE, userCode).build().toUriString();
    }

    /** The consent step the framework's verification endpoint sends the browser to. */
    @GetMapping(CONSENT)
    String consent(@RequestParam(name = OAuth2ParameterNames.CLIENT_ID, required = false) String clientId,
            @RequestParam(name = OAuth2ParameterNames.SCOPE, required = false) String scope,
            @RequestParam(name = OAuth2ParameterNames.STATE, required = false) String state,
            @RequestParam(name = OAuth2ParameterNames.USER_CODE, required = false) String userCode,
            Principal principal, Model model, HttpServletResponse response) {
        RegisteredClient client = clientId == null || clientId.length() > 200 ? null : clients.findByClientId(clientId);
        String code = UserCodes.normalize(userCode).orElse(null);
        if (client == null || state == null || state.length() > 200 || code == null) {
            model.addAttribute("userCode", "");
            model.addAttribute("codeError", true);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return VIEW;
        }
        List<String> scopes = scope == null ? List.of()
                : Arrays.stream(scope.split(" ")).filter(s -> !s.isBlank()).distinct().toList();
        model.addAttribute("clientId", client.getClientId());
        model.addAttribute("clientName", client.getClientName());
        model.addAttribute("clientLogo", ClientPolicies.logoUri(client));
        model.addAttribute("scopes", scopes);
        model.addAttribute("state", state);
        model.addAttribute("userCode", code);
        model.addAttribute("verificationEndpoint", verificationEndpoint);
        model.addAttribute("userEmail", users.findBySubject(principal.getName()).map(u -> u.email()).orElse(""));
        return "activate-consent";
    }

    @GetMapping(DONE)
    String done(Model model) {
        model.addAttribute("approved", true);
        return "activate-done";
    }

    @GetMapping(DENIED)
    String denied(Model model) {
        model.addAttribute("approved", false);
        return "activate-done";
    }

    private boolean isPending(String userCode) {
        OAuth2Authorization authorization = authorizations.findByToken(userCode, USER_CODE);
        OAuth2Authorization.Token<OAuth2UserCode> token = authorization == null ? null
                : authorization.getToken(OAuth2UserCode.class);
        return token != null && token.isActive();
    }
}
