package io.latchkey.admin.clients;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.HandlerMapping;

import io.latchkey.account.Permissions;
import io.latchkey.admin.AdminConsoleAccess;
import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.client.ClientProblem;
import io.latchkey.client.ClientRuleViolation;
import io.latchkey.client.ClientView;
import io.latchkey.client.SupportedGrantTypes;
import io.latchkey.client.UnknownClientException;

/**
 * The console's clients: a list with search, a client's page, and forms to register, change, disable, enable and
 * delete clients and to rotate their secrets. A secret is shown once, on the page that answers the form that made it
 * (never in a URL, the session or a flash attribute; that page is not cached). A client declared in configuration is
 * shown read-only. Reading needs {@code clients:read}; every change, and every form that leads to one,
 * {@code clients:write} with a fresh sign-in ({@link AdminConsoleAccess#allowsChange}).
 */
@Controller
class ClientsConsoleController {

    static final String LIST = "/admin/clients";
    private static final int PAGE_SIZE = 20;
    private static final int MAX_PAGE = 100_000;
    private static final int MAX_QUERY = 200;
    /** The overlaps the rotation form offers, in its order; the first is checked. */
    static final List<String> OVERLAP_CHOICES = List.of("none", "1h", "1d", "7d");
    static final Map<String, Duration> OVERLAPS = Map.of("none", Duration.ZERO, "1h", Duration.ofHours(1), "1d",
            Duration.ofDays(1), "7d", Duration.ofDays(7));
    /** The service's property names as the form's fields; the rest go to the form as a whole. */
    private static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("client-id", "clientId"),
            Map.entry("display-name", "displayName"), Map.entry("secret", "type"), Map.entry("resource-server", "type"),
            Map.entry("grant-types", "grantTypes"), Map.entry("redirect-uris", "redirectUris"),
            Map.entry("post-logout-redirect-uris", "postLogoutRedirectUris"), Map.entry("scopes", "scopes"),
            Map.entry("require-pkce", "requirePkce"), Map.entry("require-consent", "requireConsent"),
            Map.entry("access-token-ttl", "accessTokenMinutes"), Map.entry("refresh-token-ttl", "refreshTokenDays"),
            Map.entry("logo-uri", "logoUri"), Map.entry("require-mfa", "requireMfa"));

    private final ClientAdministration clients;
    private final Permissions permissions;

    ClientsConsoleController(ClientAdministration clients, Permissions permissions) {
        this.clients = clients;
        this.permissions = permissions;
    }

    @GetMapping(LIST)
    @PreAuthorize("@adminConsole.allows(authentication, 'clients:read')")
    String list(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "page", required = false) String page, Authentication authentication, Model model) {
        String query = q == null || q.length() > MAX_QUERY || q.indexOf('\0') >= 0 ? "" : q.strip();
        int number = page != null && page.matches("[0-9]{1,6}") ? Math.min(Integer.parseInt(page), MAX_PAGE) : 0;
        ClientAdministration.ClientPage found = clients.search(query, number, PAGE_SIZE);
        model.addAttribute("q", query);
        model.addAttribute("found", found);
        model.addAttribute("hasNext", (long) (number + 1) * PAGE_SIZE < found.total());
        model.addAttribute("canChange", canChange(authentication));
        return "admin/clients";
    }

    @GetMapping(LIST + "/new")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String newClient(Model model) {
        return form(model, ClientForm.blank(), null);
    }

    @PostMapping(LIST + "/new")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String create(@ModelAttribute("clientForm") ClientForm form, BindingResult errors, Authentication authentication,
            Model model, HttpServletResponse response) {
        ClientDraft draft = form.draft(null, ClientExtensions.NONE, errors);
        String typed = form.getClientId();
        String clientId = typed == null || typed.isBlank() ? null : typed.strip();
        if (!errors.hasErrors()) {
            try {
                ClientAdministration.IssuedClient issued = clients.create(clientId, draft,
                        ClientAdministration.ADMINISTERED, actor(authentication));
                return secretShownOnce(issued, "created", model, response);
            }
            catch (ClientRuleViolation violation) {
                reject(violation.problems(), errors);
            }
        }
        else {
            // every problem at once: the service's too, on top of the form's own
            reject(clients.problems(clientId == null ? "generated" : clientId, draft), errors);
        }
        recordRefusal(clientId, "create", errors, authentication);
        return form(model, form, null);
    }

    @GetMapping(LIST + "/{clientId}")
    @PreAuthorize("@adminConsole.allows(authentication, 'clients:read')")
    String details(@PathVariable("clientId") String clientId, Authentication authentication, Model model) {
        model.addAttribute("client", existing(clientId));
        model.addAttribute("canChange", canChange(authentication));
        return "admin/client";
    }

    @GetMapping(LIST + "/{clientId}/edit")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String edit(@PathVariable("clientId") String clientId, Model model) {
        ClientView client = existing(clientId);
        if (client.readOnly()) {
            return "redirect:" + LIST + "/" + client.clientId();
        }
        return form(model, ClientForm.of(client), client);
    }

    @PostMapping(LIST + "/{clientId}/edit")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String update(@PathVariable("clientId") String clientId, @ModelAttribute("clientForm") ClientForm form,
            BindingResult errors, Authentication authentication, Model model, HttpServletResponse response) {
        ClientView client = changeable(clientId);
        form.setClientId(client.clientId());
        ClientDraft draft = form.draft(client.backchannelLogoutUri(), client.extensions(), errors);
        if (!errors.hasErrors()) {
            try {
                ClientAdministration.IssuedClient issued = clients.update(client.clientId(), draft,
                        actor(authentication));
                if (issued.secret() != null) {
                    // it became confidential: its first secret, shown once like a new client's
                    return secretShownOnce(issued, "rotated", model, response);
                }
                return "redirect:" + LIST + "/" + client.clientId() + "?done=clientSaved";
            }
            catch (ClientRuleViolation violation) {
                reject(violation.problems(), errors);
            }
        }
        else {
            reject(clients.problems(client.clientId(), draft), errors);
        }
        recordRefusal(client.clientId(), "update", errors, authentication);
        return form(model, form, client);
    }

    @PostMapping(LIST + "/{clientId}/disable")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String disable(@PathVariable("clientId") String clientId, Authentication authentication) {
        clients.disable(changeable(clientId).clientId(), actor(authentication));
        return "redirect:" + LIST + "/" + clientId + "?done=clientDisabled";
    }

    @PostMapping(LIST + "/{clientId}/enable")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String enable(@PathVariable("clientId") String clientId, Authentication authentication) {
        clients.enable(changeable(clientId).clientId(), actor(authentication));
        return "redirect:" + LIST + "/" + clientId + "?done=clientEnabled";
    }

    @GetMapping(LIST + "/{clientId}/delete")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String confirmDelete(@PathVariable("clientId") String clientId, Model model) {
        model.addAttribute("client", changeable(clientId));
        return "admin/client-delete";
    }

    @PostMapping(LIST + "/{clientId}/delete")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String delete(@PathVariable("clientId") String clientId, Authentication authentication) {
        clients.delete(changeable(clientId).clientId(), actor(authentication));
        return "redirect:" + LIST + "?done=clientDeleted";
    }

    @GetMapping(LIST + "/{clientId}/secret")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String confirmRotation(@PathVariable("clientId") String clientId, Model model) {
        ClientView client = changeable(clientId);
        if (!client.confidential()) {
            return "redirect:" + LIST + "/" + client.clientId();
        }
        model.addAttribute("client", client);
        model.addAttribute("overlaps", OVERLAP_CHOICES);
        return "admin/client-rotate";
    }

    @PostMapping(LIST + "/{clientId}/secret")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String rotate(@PathVariable("clientId") String clientId,
            @RequestParam(name = "overlap", required = false) String overlap, Authentication authentication,
            Model model, HttpServletResponse response) {
        ClientView client = changeable(clientId);
        Duration duration = overlap == null ? null : OVERLAPS.get(overlap);
        if (duration == null) {
            model.addAttribute("client", client);
            model.addAttribute("overlaps", OVERLAP_CHOICES);
            model.addAttribute("overlapMissing", true);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return "admin/client-rotate";
        }
        return secretShownOnce(clients.rotateSecret(client.clientId(), duration, actor(authentication)), "rotated",
                model, response);
    }

    @PostMapping(LIST + "/{clientId}/end-overlap")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'clients:write')")
    String endOverlap(@PathVariable("clientId") String clientId, Authentication authentication) {
        clients.endSecretOverlap(changeable(clientId).clientId(), actor(authentication));
        return "redirect:" + LIST + "/" + clientId + "?done=clientOverlapEnded";
    }

    @ExceptionHandler({ UnknownClientException.class, NoSuchClient.class })
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String unknown() {
        return "admin/client-not-found";
    }

    /** A change the rules refuse outside a form (a client declared in configuration, a public client's secret). */
    @ExceptionHandler(ClientRuleViolation.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    String refused(ClientRuleViolation violation, Model model, HttpServletRequest request) {
        clients.recordRefusal(clientIdOf(request), routeOf(request),
                violation.problems(), actorOrAnonymous());
        model.addAttribute("problems", violation.problems().stream().map(ClientProblem::message).toList());
        return "admin/client-refused";
    }

    private String secretShownOnce(ClientAdministration.IssuedClient issued, String what, Model model,
            HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        model.addAttribute("client", issued.client());
        model.addAttribute("secret", issued.secret());
        model.addAttribute("what", what);
        return "admin/client-secret";
    }

    private String form(Model model, ClientForm form, ClientView existing) {
        model.addAttribute("clientForm", form);
        model.addAttribute("existing", existing);
        model.addAttribute("grantTypeChoices", SupportedGrantTypes.ALL);
        return "admin/client-form";
    }

    /** Each problem at its field; one the form has no field for, for the form as a whole. */
    private static void reject(List<ClientProblem> problems, BindingResult errors) {
        for (ClientProblem problem : problems) {
            String field = FIELDS.get(problem.property());
            if (field == null) {
                errors.reject("admin.clients.invalid", new Object[] { problem.message() }, problem.message());
            }
            else {
                errors.rejectValue(field, "admin.clients.invalid", new Object[] { problem.message() },
                        problem.message());
            }
        }
    }

    /** A refused form in the audit trail: the fields at fault, not what was typed in them. */
    private void recordRefusal(String clientId, String action, BindingResult errors, Authentication authentication) {
        List<ClientProblem> problems = new java.util.ArrayList<>();
        errors.getFieldErrors().forEach(error -> problems.add(new ClientProblem(error.getField(), "")));
        if (errors.hasGlobalErrors()) {
            problems.add(new ClientProblem("form", ""));
        }
        clients.recordRefusal(clientId, action, problems, actor(authentication));
    }

    private static String clientIdOf(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return variables instanceof Map<?, ?> map && map.get("clientId") instanceof String id ? id : null;
    }

    private static String routeOf(HttpServletRequest request) {
        return request.getMethod() + " " + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    }

    private static String actorOrAnonymous() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "anonymous" : authentication.getName();
    }

    private ClientView existing(String clientId) {
        return clients.find(clientId).orElseThrow(NoSuchClient::new);
    }

    private ClientView changeable(String clientId) {
        ClientView client = existing(clientId);
        if (client.readOnly()) {
            throw new ReadOnlyClient();
        }
        return client;
    }

    private boolean canChange(Authentication authentication) {
        return permissions.of(AdminConsoleAccess.actor(authentication)).contains(Permissions.CLIENTS_WRITE);
    }

    private static String actor(Authentication authentication) {
        UUID admin = AdminConsoleAccess.actor(authentication);
        return admin.toString();
    }

    @ExceptionHandler(ReadOnlyClient.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    String readOnly(Model model, HttpServletRequest request) {
        clients.recordRefusal(clientIdOf(request), routeOf(request),
                List.of(new ClientProblem("client-id", "declared in configuration")), actorOrAnonymous());
        model.addAttribute("readOnly", true);
        return "admin/client-refused";
    }

    private static final class NoSuchClient extends RuntimeException {
    }

    private static final class ReadOnlyClient extends RuntimeException {
    }
}
