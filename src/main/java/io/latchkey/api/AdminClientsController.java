package io.latchkey.api;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerMapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.nimbusds.jose.util.JSONObjectUtils;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.client.ClientProblem;
import io.latchkey.client.ClientRuleViolation;
import io.latchkey.client.ClientView;
import io.latchkey.client.UnknownClientException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Client administration, the API twin of the console's clients pages. The rules are the configuration's
 * ({@link ClientAdministration}); a client declared in configuration is shown but answered 409 on any change. A secret
 * is in an answer once, as {@code clientSecret}, when it is made (creation, rotation) and never again.
 */
@RestController
@RequestMapping(AdminClientsController.PATH)
@Tag(name = "admin: clients", description = "Client administration (scope latchkey.admin, and the permissions "
        + "clients:read, clients:write)")
class AdminClientsController {

    static final String PATH = "/api/v1/admin/clients";
    static final URI READ_ONLY = URI.create("urn:latchkey:problem:client-declared-in-configuration");
    static final URI NOT_FOUND = URI.create("urn:latchkey:problem:not-found");
    private static final int MAX_LIST = 100;
    private static final int MAX_PAGE = 100_000;
    private static final int MAX_TEXT = 2000;

    private final ClientAdministration administration;

    AdminClientsController(ClientAdministration administration) {
        this.administration = administration;
    }

    /**
     * A client as the admin API writes and reads it. Null means the default (as in configuration):
     * {@code confidential} true, {@code requirePkce} true, {@code requireConsent} true, {@code accessTokenTtl} PT15M,
     * {@code refreshTokenTtl} P14D (P7D for a public client). Lifetimes are ISO-8601 durations. {@code clientId} is
     * read on creation only (generated when left out). The settings of the standards beyond the core are those of
     * {@link ClientExtensions}; {@code jwks} is a JWK Set as a JSON object, and a client with
     * {@code tokenEndpointAuthMethod: private_key_jwt} has no secret ({@code confidential} false).
     */
    record ClientBody(String clientId, String displayName, Boolean confidential, List<String> grantTypes,
            List<String> redirectUris, List<String> postLogoutRedirectUris, List<String> scopes, Boolean requirePkce,
            Boolean requireConsent, String accessTokenTtl, String refreshTokenTtl, String logoUri, Boolean requireMfa,
            String backchannelLogoutUri, String tokenEndpointAuthMethod, String jwksUri, Map<String, Object> jwks,
            Boolean requirePushedAuthorizationRequests, Boolean dpopBoundAccessTokens, String subjectType,
            String sectorIdentifierUri, String resourceIndicator, List<String> tokenExchangeTargets) {
    }

    /** A rotation's overlap, an ISO-8601 duration such as {@code PT1H}; none when left out. */
    record Rotation(String overlap) {
    }

    /** A client as the API shows it; {@code clientSecret} only in the answer that made the secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClientJson(String clientId, String displayName, boolean confidential, List<String> grantTypes,
            List<String> redirectUris, List<String> postLogoutRedirectUris, List<String> scopes, boolean requirePkce,
            boolean requireConsent, String accessTokenTtl, String refreshTokenTtl, String logoUri, boolean requireMfa,
            String backchannelLogoutUri, String source, boolean readOnly, boolean disabled,
            boolean legacyPasswordGrant, String createdAt, String previousSecretUntil, String clientSecret,
            String tokenEndpointAuthMethod, String jwksUri, Map<String, Object> jwks,
            boolean requirePushedAuthorizationRequests, boolean dpopBoundAccessTokens, String subjectType,
            String sectorIdentifierUri, String resourceIndicator, List<String> tokenExchangeTargets) {

        static ClientJson of(ClientView view, String secret) {
            ClientExtensions extensions = view.extensions();
            return new ClientJson(view.clientId(), view.displayName(), view.confidential(), view.grantTypes(),
                    view.redirectUris(), view.postLogoutRedirectUris(), view.scopes(), view.requirePkce(),
                    view.requireConsent(), text(view.accessTokenTtl()), text(view.refreshTokenTtl()), view.logoUri(),
                    view.requireMfa(), view.backchannelLogoutUri(), view.source(), view.readOnly(), view.disabled(),
                    view.legacyPasswordGrant(), text(view.createdAt()), text(view.previousSecretUntil()), secret,
                    extensions.tokenEndpointAuthMethod(), extensions.jwksUri(), jwksObject(extensions.jwks()),
                    extensions.requirePushedAuthorizationRequests(), extensions.dpopBoundAccessTokens(),
                    extensions.subjectType(), extensions.sectorIdentifierUri(), extensions.resourceIndicator(),
                    extensions.tokenExchangeTargets());
        }

        /** The stored key set as JSON; it was checked when it was stored. */
        private static Map<String, Object> jwksObject(String jwks) {
            try {
                return jwks == null ? null : JSONObjectUtils.parse(jwks);
            }
            catch (ParseException ex) {
                throw new IllegalStateException("Stored jwks is not JSON", ex);
            }
        }

        private static String text(Object value) {
            return value == null ? null : value.toString();
        }
    }

    record ClientsJson(List<ClientJson> items, int page, int size, long total) {
    }

    @GetMapping
    @PreAuthorize(ApiAccessRules.CLIENTS_READ)
    @Operation(summary = "Search clients by id or name",
            description = "size is capped at 100; q matches anywhere, any case")
    ClientsJson search(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "20") int size) {
        if (q != null && (q.length() > 200 || q.indexOf('\0') >= 0)) {
            throw new ClientBodyInvalid(List.of(new ApiProblems.FieldMessage("q",
                    "q must be at most 200 characters, without null characters")));
        }
        if (page < 0 || page > MAX_PAGE) {
            throw new ClientBodyInvalid(List.of(new ApiProblems.FieldMessage("page", "page must be 0 to " + MAX_PAGE)));
        }
        ClientAdministration.ClientPage found = administration.search(q, page, size);
        return new ClientsJson(found.clients().stream().map(view -> ClientJson.of(view, null)).toList(), found.page(),
                found.size(), found.total());
    }

    @PostMapping
    @PreAuthorize(ApiAccessRules.CLIENTS_WRITE)
    @Operation(summary = "Register a client", description = "201 with Location; a confidential client's secret is "
            + "in this answer (clientSecret) and never again")
    ResponseEntity<ClientJson> create(Authentication authentication, @RequestBody ClientBody body) {
        ClientDraft draft = draft(body);
        if (body.clientId() != null && body.clientId().length() > MAX_TEXT) {
            throw new ClientBodyInvalid(List.of(new ApiProblems.FieldMessage("clientId", "clientId is too long")));
        }
        ClientAdministration.IssuedClient issued = administration.create(body.clientId(), draft,
                ClientAdministration.ADMINISTERED, authentication.getName());
        return ResponseEntity.created(URI.create(PATH + "/" + issued.client().clientId()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(ClientJson.of(issued.client(), issued.secret()));
    }

    @GetMapping("/{clientId}")
    @PreAuthorize(ApiAccessRules.CLIENTS_READ)
    @Operation(summary = "One client (never its secret)")
    ClientJson get(@PathVariable("clientId") String clientId) {
        return ClientJson.of(existing(clientId), null);
    }

    @PutMapping("/{clientId}")
    @PreAuthorize(ApiAccessRules.CLIENTS_WRITE)
    @Operation(summary = "Replace a client's settings", description = "Fields left out take their defaults. A client "
            + "that becomes confidential gets a secret (clientSecret, once); one that becomes public loses its secret")
    ResponseEntity<ClientJson> update(Authentication authentication, @PathVariable("clientId") String clientId,
            @RequestBody ClientBody body) {
        changeable(clientId);
        ClientAdministration.IssuedClient issued = administration.update(clientId, draft(body),
                authentication.getName());
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(ClientJson.of(issued.client(), issued.secret()));
    }

    @DeleteMapping("/{clientId}")
    @PreAuthorize(ApiAccessRules.CLIENTS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a client, with its consents and tokens")
    void delete(Authentication authentication, @PathVariable("clientId") String clientId) {
        changeable(clientId);
        administration.delete(clientId, authentication.getName());
    }

    @PostMapping("/{clientId}/disable")
    @PreAuthorize(ApiAccessRules.CLIENTS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disable a client: it is treated as unknown, and its tokens are revoked")
    void disable(Authentication authentication, @PathVariable("clientId") String clientId) {
        changeable(clientId);
        administration.disable(clientId, authentication.getName());
    }

    @PostMapping("/{clientId}/enable")
    @PreAuthorize(ApiAccessRules.CLIENTS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Enable a disabled client again")
    void enable(Authentication authentication, @PathVariable("clientId") String clientId) {
        changeable(clientId);
        administration.enable(clientId, authentication.getName());
    }

    @PostMapping("/{clientId}/secret")
    @PreAuthorize(ApiAccessRules.CLIENTS_WRITE)
    @Operation(summary = "Rotate a confidential client's secret", description = "overlap (body or parameter): an "
            + "ISO-8601 duration, at most P30D, during which the previous secret still works; none by default. The "
            + "new secret is in this answer (clientSecret) and never again")
    ResponseEntity<ClientJson> rotateSecret(Authentication authentication, @PathVariable("clientId") String clientId,
            @RequestParam(name = "overlap", required = false) String overlapParameter,
            @RequestBody(required = false) Rotation body) {
        String overlap = body != null && body.overlap() != null ? body.overlap() : overlapParameter;
        Duration duration = overlap == null || overlap.isBlank() ? Duration.ZERO : duration("overlap", overlap);
        changeable(clientId);
        ClientAdministration.IssuedClient issued = administration.rotateSecret(clientId, duration,
                authentication.getName());
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(ClientJson.of(issued.client(), issued.secret()));
    }

    @DeleteMapping("/{clientId}/previous-secret")
    @PreAuthorize(ApiAccessRules.CLIENTS_WRITE)
    @Operation(summary = "End a rotation's overlap now: the previous secret stops working")
    ClientJson endSecretOverlap(Authentication authentication, @PathVariable("clientId") String clientId) {
        changeable(clientId);
        return ClientJson.of(administration.endSecretOverlap(clientId, authentication.getName()), null);
    }

    @ExceptionHandler(ClientRuleViolation.class)
    ResponseEntity<Object> ruleViolation(ClientRuleViolation violation, HttpServletRequest request) {
        recordRefusal(request, violation.problems());
        List<ApiProblems.FieldMessage> errors = violation.problems().stream()
                .map(problem -> new ApiProblems.FieldMessage(jsonField(problem), problem.message())).toList();
        return problem(ApiProblems.validation("The client breaks the rules for clients", errors));
    }

    @ExceptionHandler(ClientBodyInvalid.class)
    ResponseEntity<Object> bodyInvalid(ClientBodyInvalid invalid) {
        return problem(ApiProblems.validation("The request has invalid fields", invalid.errors));
    }

    @ExceptionHandler({ UnknownClientException.class, NoSuchClient.class })
    ResponseEntity<Object> unknown() {
        return problem(ApiProblems.of(HttpStatus.NOT_FOUND, NOT_FOUND, "There is no such client"));
    }

    @ExceptionHandler(DeclaredInConfiguration.class)
    ResponseEntity<Object> readOnly(DeclaredInConfiguration declared, HttpServletRequest request) {
        recordRefusal(request, List.of(new ClientProblem("client-id", "declared in configuration")));
        return problem(ApiProblems.of(HttpStatus.CONFLICT, READ_ONLY, "The client " + declared.clientId
                + " is declared in configuration (latchkey.clients." + declared.clientId + ".*): change it there"));
    }

    /** The refusal in the audit trail, with the operation (method and route) and the client of its path. */
    private void recordRefusal(HttpServletRequest request, List<ClientProblem> problems) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String clientId = variables instanceof Map<?, ?> map && map.get("clientId") instanceof String id ? id : null;
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        administration.recordRefusal(clientId, request.getMethod() + " " + (route == null ? PATH : route), problems,
                authentication == null ? "anonymous" : authentication.getName());
    }

    private ClientView existing(String clientId) {
        return administration.find(clientId).orElseThrow(NoSuchClient::new);
    }

    /** 404 for an unknown client, 409 for one declared in configuration. */
    private void changeable(String clientId) {
        if (existing(clientId).readOnly()) {
            throw new DeclaredInConfiguration(clientId);
        }
    }

    /** The body as a draft; a null in a list, an oversized value or a malformed duration is a field error. */
    private static ClientDraft draft(ClientBody body) {
        List<ApiProblems.FieldMessage> errors = new ArrayList<>();
        List<String> grantTypes = list("grantTypes", body.grantTypes(), errors);
        List<String> redirectUris = list("redirectUris", body.redirectUris(), errors);
        List<String> postLogout = list("postLogoutRedirectUris", body.postLogoutRedirectUris(), errors);
        List<String> scopes = list("scopes", body.scopes(), errors);
        text("displayName", body.displayName(), errors);
        text("logoUri", body.logoUri(), errors);
        text("backchannelLogoutUri", body.backchannelLogoutUri(), errors);
        text("tokenEndpointAuthMethod", body.tokenEndpointAuthMethod(), errors);
        text("jwksUri", body.jwksUri(), errors);
        text("subjectType", body.subjectType(), errors);
        text("sectorIdentifierUri", body.sectorIdentifierUri(), errors);
        text("resourceIndicator", body.resourceIndicator(), errors);
        List<String> exchangeTargets = list("tokenExchangeTargets", body.tokenExchangeTargets(), errors);
        String jwks = body.jwks() == null ? null : JSONObjectUtils.toJSONString(body.jwks());
        Duration access = null;
        Duration refresh = null;
        try {
            access = body.accessTokenTtl() == null ? null : duration("accessTokenTtl", body.accessTokenTtl());
        }
        catch (ClientBodyInvalid invalid) {
            errors.addAll(invalid.errors);
        }
        try {
            refresh = body.refreshTokenTtl() == null ? null : duration("refreshTokenTtl", body.refreshTokenTtl());
        }
        catch (ClientBodyInvalid invalid) {
            errors.addAll(invalid.errors);
        }
        if (!errors.isEmpty()) {
            throw new ClientBodyInvalid(errors);
        }
        ClientExtensions extensions = new ClientExtensions(body.tokenEndpointAuthMethod(), body.jwksUri(), jwks,
                body.requirePushedAuthorizationRequests(), body.dpopBoundAccessTokens(), body.subjectType(),
                body.sectorIdentifierUri(), body.resourceIndicator(), exchangeTargets);
        boolean confidential = body.confidential() == null ? !extensions.privateKeyJwt() : body.confidential();
        return new ClientDraft(body.displayName(), confidential, grantTypes, redirectUris, postLogout, scopes,
                body.requirePkce(), body.requireConsent(), access, refresh, body.logoUri(), body.requireMfa(),
                body.backchannelLogoutUri(), extensions);
    }

    private static List<String> list(String field, List<String> values, List<ApiProblems.FieldMessage> errors) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST) {
            errors.add(new ApiProblems.FieldMessage(field, field + " may have at most " + MAX_LIST + " entries"));
            return List.of();
        }
        for (String value : values) {
            if (value == null || value.length() > MAX_TEXT || value.indexOf('\0') >= 0) {
                errors.add(new ApiProblems.FieldMessage(field, field + " entries must be strings of at most "
                        + MAX_TEXT + " characters, without null characters"));
                return List.of();
            }
        }
        return values;
    }

    private static void text(String field, String value, List<ApiProblems.FieldMessage> errors) {
        if (value != null && (value.length() > MAX_TEXT || value.indexOf('\0') >= 0)) {
            errors.add(new ApiProblems.FieldMessage(field, field + " must be at most " + MAX_TEXT
                    + " characters, without null characters"));
        }
    }

    private static Duration duration(String field, String value) {
        try {
            if (value.length() <= 40) {
                return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            }
        }
        catch (DateTimeParseException | ArithmeticException malformed) {
            // answered below
        }
        throw new ClientBodyInvalid(List.of(new ApiProblems.FieldMessage(field, field
                + " must be an ISO-8601 duration such as PT15M or P1D")));
    }

    /** The JSON field a problem is about: the configuration's {@code redirect-uris} is {@code redirectUris}. */
    static String jsonField(ClientProblem problem) {
        String property = problem.property();
        if (property.equals("secret") || property.equals("resource-server")) {
            return "confidential";
        }
        if (property.isEmpty()) {
            return "client";
        }
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : property.toCharArray()) {
            if (c == '-') {
                upper = true;
            }
            else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setCacheControl("no-store");
        return new ResponseEntity<>(problem, headers, HttpStatusCode.valueOf(problem.getStatus()));
    }

    /** Fields of the body the service never sees: malformed before any rule applies. */
    static final class ClientBodyInvalid extends RuntimeException {

        private final transient List<ApiProblems.FieldMessage> errors;

        ClientBodyInvalid(List<ApiProblems.FieldMessage> errors) {
            super("invalid client body");
            this.errors = errors;
        }
    }

    static final class DeclaredInConfiguration extends RuntimeException {

        private final String clientId;

        DeclaredInConfiguration(String clientId) {
            super("declared in configuration");
            this.clientId = clientId;
        }
    }

    /** The service's own exception has no public constructor; this one is answered the same way. */
    static final class NoSuchClient extends RuntimeException {

        NoSuchClient() {
            super("There is no such client");
        }
    }
}
