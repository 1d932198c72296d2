package io.latchkey.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.latchkey.account.Permissions;
import io.latchkey.config.ConfigurationDocument;
import io.latchkey.config.ConfigurationExport;
import io.latchkey.config.ConfigurationImport;
import io.latchkey.config.DocumentFormat;
import io.latchkey.config.DocumentRefused;
import io.latchkey.config.ImportPlan;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Configuration as code: export and import of clients, roles and (on request) users, as YAML or JSON
 * ({@code docs/configuration-as-code.md}). Users carry password hashes, so they need a permission more than the
 * operation's own, checked here where it is known whether they are asked for or brought.
 */
@RestController
@RequestMapping("/api/v1/admin/config")
@Tag(name = "configuration", description = "Configuration as code: export and import clients, roles and permissions "
        + "and, on request, users with their password hashes (scope latchkey.admin; config:export, config:import; "
        + "users need users:read to export and users:write to import)")
class ConfigurationController {

    private final ConfigurationExport exporter;
    private final ConfigurationImport importer;
    ConfigurationController(ConfigurationExport exporter, ConfigurationImport importer) {
        this.exporter = exporter;
        this.importer = importer;
    }

    @GetMapping("/export")
    @PreAuthorize(ApiAccessRules.CONFIG_EXPORT)
    @Operation(summary = "Export clients made while running, roles with their permissions and, with users=true, users "
            + "with their password hashes", description = "format is yaml (the default) or json. Confidential clients "
            + "carry the bcrypt hash of their secret, never the secret; clients declared in configuration are left out. "
            + "users=true also needs the permission users:read.")
    ResponseEntity<String> export(Authentication authentication,
            @RequestParam(name = "format", defaultValue = "yaml") String format,
            @RequestParam(name = "users", defaultValue = "false") boolean users) {
        DocumentFormat documentFormat = DocumentFormat.named(format);
        if (documentFormat == null) {
            throw new InvalidParameter("format", "format must be yaml or json");
        }
        if (users && !ApiAccessRules.holds(authentication, Permissions.USERS_READ)) {
            throw new AccessDeniedException(Permissions.USERS_READ);
        }
        String document = exporter.export(documentFormat, users, authentication.getName());
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(new MediaType(MediaType.parseMediaType(documentFormat.mediaType()),
                StandardCharsets.UTF_8));
        headers.setCacheControl("no-store");
        headers.setContentDisposition(ContentDisposition.attachment()
                .filename("latchkey-configuration." + documentFormat.extension()).build());
        return new ResponseEntity<>(document, headers, HttpStatus.OK);
    }

    @PostMapping("/import")
    @PreAuthorize(ApiAccessRules.CONFIG_IMPORT)
    @Operation(summary = "Import a configuration document (YAML or JSON, by Content-Type) and answer the plan",
            description = "Every item is checked first, and a document with any problem is refused with all of them "
                    + "(each with its path) and nothing changed. Then, unless dryRun=true, the plan is applied in one "
                    + "transaction: what is missing is created, what differs updated, nothing deleted. A document with "
                    + "users also needs the permission users:write. The body is capped by latchkey.http.max-request-body.")
    ImportPlan importDocument(Authentication authentication,
            @RequestParam(name = "dryRun", defaultValue = "false") boolean dryRun,
            @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody byte[] body) {
        DocumentFormat format = DocumentFormat.ofContentType(contentType);
        if (format == null) {
            throw new UnsupportedDocument();
        }
        ConfigurationDocument document = importer.read(body, format, authentication.getName());
        if (document.users() != null && !ApiAccessRules.holds(authentication, Permissions.USERS_WRITE)) {
            throw new AccessDeniedException(Permissions.USERS_WRITE);
        }
        return importer.apply(document, dryRun, UUID.fromString(authentication.getName()));
    }

    @ExceptionHandler(DocumentRefused.class)
    ResponseEntity<ProblemDetail> refused(DocumentRefused refused) {
        List<ApiProblems.FieldMessage> errors = refused.problems().stream()
                .map(problem -> new ApiProblems.FieldMessage(problem.path(), problem.message())).toList();
        return problem(ApiProblems.validation("The document is refused; nothing was changed", errors));
    }

    @ExceptionHandler(InvalidParameter.class)
    ResponseEntity<ProblemDetail> invalidParameter(InvalidParameter invalid) {
        return problem(ApiProblems.validation("The request has invalid fields",
                List.of(new ApiProblems.FieldMessage(invalid.field, invalid.getMessage()))));
    }

    @ExceptionHandler(UnsupportedDocument.class)
    ResponseEntity<ProblemDetail> unsupported() {
        return problem(ApiProblems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null,
                "Send the document as application/yaml or application/json"));
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .cacheControl(org.springframework.http.CacheControl.noStore()).body(problem);
    }

    private static final class InvalidParameter extends RuntimeException {

        private final String field;

        InvalidParameter(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    private static final class UnsupportedDocument extends RuntimeException {

        UnsupportedDocument() {
            super(null, null, false, false);
        }
    }
}
