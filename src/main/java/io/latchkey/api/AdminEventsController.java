package io.latchkey.api;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.latchkey.audit.AuditExportFormat;
import io.latchkey.audit.AuditPage;
import io.latchkey.audit.AuditQuery;
import io.latchkey.audit.AuditTrail;
import io.latchkey.audit.InvalidAuditQuery;
import io.latchkey.audit.RecordedAuditEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The audit trail: filtered pages of events, newest first, and exports as CSV or JSON lines. A filter that cannot
 * be run is a 400 problem whose {@code errors} name the parameter.
 */
@RestController
@RequestMapping("/api/v1/admin/events")
@Tag(name = "admin: audit events", description = "The audit trail (scope latchkey.admin, and the permission "
        + "audit:read)")
class AdminEventsController {

    private final AuditTrail trail;
    private final MessageSource messages;

    AdminEventsController(AuditTrail trail, MessageSource messages) {
        this.trail = trail;
        this.messages = messages;
    }

    @GetMapping
    @PreAuthorize(ApiAccessRules.AUDIT_READ)
    @Operation(summary = "Audit events matching a filter, newest first, a page at a time", description = "Every "
            + "filter is optional. user: a user id, matching events about the user and those the user did (actor); "
            + "client: a client id; type: event types (repeat the parameter or separate with commas); from, to: "
            + "ISO-8601 times (2026-11-30T08:00:00Z) or dates, UTC, from inclusive, to exclusive; page from 0 (at most "
            + AuditPage.MAX_PAGE + "); size 1 to " + AuditPage.MAX_SIZE + " (default " + AuditPage.DEFAULT_SIZE
            + "). hasNext says whether a further page has events.")
    Events search(@RequestParam(name = "user", required = false) String user,
            @RequestParam(name = "client", required = false) String client,
            @RequestParam(name = "type", required = false) List<String> type,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "page", required = false) String page,
            @RequestParam(name = "size", required = false) String size) {
        AuditPage found = trail.page(AuditQuery.parse(user, client, type, from, to),
                AuditPage.parsePaging(page, size));
        return new Events(found.events().stream().map(Event::of).toList(), found.page(), found.size(),
                found.hasNext());
    }

    @GetMapping("/export")
    @PreAuthorize(ApiAccessRules.AUDIT_READ)
    @Operation(summary = "Export the audit events matching a filter", description = "The filter of GET "
            + "/api/v1/admin/events. format=csv (default; RFC 4180 with a header row; a cell a spreadsheet would take "
            + "for a formula gets a leading ') or jsonl (one JSON object per line). Columns: id, occurred_at, type, "
            + "user_id, subject, client_ip, user_agent, details; newest first, streamed, at most "
            + "latchkey.audit.export-max-rows events. Each export is audited as AUDIT_EXPORTED.")
    void export(Authentication authentication, @RequestParam(name = "user", required = false) String user,
            @RequestParam(name = "client", required = false) String client,
            @RequestParam(name = "type", required = false) List<String> type,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @Parameter(description = "csv or jsonl") @RequestParam(name = "format", required = false) String format,
            HttpServletResponse response) throws IOException {
        AuditQuery query = AuditQuery.parse(user, client, type, from, to);
        AuditExportFormat chosen = AuditExportFormat.parse(format);
        response.setContentType(chosen.contentType());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-events-"
                + Instant.now().getEpochSecond() + "." + chosen.extension() + "\"");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        trail.export(query, chosen, UUID.fromString(authentication.getName()), response.getOutputStream());
    }

    /** A filter that cannot be run: 400, naming the parameter, in the request's language. */
    @ExceptionHandler(InvalidAuditQuery.class)
    ResponseEntity<Object> invalid(InvalidAuditQuery invalid) {
        ProblemDetail problem = ApiProblems.validation("The request has invalid fields", List.of(
                new ApiProblems.FieldMessage(invalid.field(), messages.getMessage(invalid.messageKey(), null,
                        invalid.getMessage(), LocaleContextHolder.getLocale()))));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setCacheControl("no-store");
        return new ResponseEntity<>(problem, headers, HttpStatusCode.valueOf(problem.getStatus()));
    }

    record Event(UUID id, Instant occurredAt, String type, UUID userId, String subject, String clientIp,
            String userAgent, Map<String, String> details) {

        static Event of(RecordedAuditEvent event) {
            return new Event(event.id(), event.occurredAt(), event.type() == null ? null : event.type().name(),
                    event.userId(), event.subject(), event.clientIp(), event.userAgent(), event.details());
        }
    }

    record Events(List<Event> events, int page, int size, boolean hasNext) {
    }
}
