package io.latchkey.admin;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditExportFormat;
import io.latchkey.audit.AuditPage;
import io.latchkey.audit.AuditQuery;
import io.latchkey.audit.AuditTrail;
import io.latchkey.audit.InvalidAuditQuery;
import io.latchkey.audit.RecordedAuditEvent;

/**
 * The audit trail: a filter form (user, client, types, time range), a page of matching events newest first, and
 * links to export what matches as CSV or JSON lines. A filter that cannot be run is a 400 with the form and its error.
 */
@Controller
class AuditPageController {

    static final String PATH = "/admin/audit";

    private final AuditTrail trail;

    AuditPageController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping(PATH)
    @PreAuthorize("@adminConsole.allows(authentication, 'audit:read')")
    String events(Filter filter, Model model, HttpServletResponse response) {
        model.addAttribute("filter", filter);
        model.addAttribute("types", Arrays.stream(AuditEventType.values()).map(Enum::name).toList());
        model.addAttribute("maxRows", trail.exportMaxRows());
        try {
            AuditQuery query = filter.query();
            AuditPage page = trail.page(query, AuditPage.parsePaging(filter.page(), filter.size()));
            model.addAttribute("events", page.events().stream().map(EventRow::of).toList());
            model.addAttribute("exportCsv", filter.link(PATH + "/export", Map.of("format", "csv")));
            model.addAttribute("exportJsonl", filter.link(PATH + "/export", Map.of("format", "jsonl")));
            if (page.page() > 0) {
                model.addAttribute("previousPage", filter.link(PATH, Map.of("page", String.valueOf(page.page() - 1))));
            }
            if (page.hasNext()) {
                model.addAttribute("nextPage", filter.link(PATH, Map.of("page", String.valueOf(page.page() + 1))));
            }
            model.addAttribute("pageNumber", page.page() + 1);
        }
        catch (InvalidAuditQuery invalid) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", invalid);
        }
        return "admin/audit";
    }

    @GetMapping(PATH + "/export")
    @PreAuthorize("@adminConsole.allows(authentication, 'audit:read')")
    String export(Authentication authentication, Filter filter, @RequestParam(name = "format", required = false)
            String format, Model model, HttpServletResponse response) throws IOException {
        AuditQuery query;
        AuditExportFormat chosen;
        try {
            query = filter.query();
            chosen = AuditExportFormat.parse(format);
        }
        catch (InvalidAuditQuery invalid) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("filter", filter);
            model.addAttribute("types", Arrays.stream(AuditEventType.values()).map(Enum::name).toList());
            model.addAttribute("maxRows", trail.exportMaxRows());
            model.addAttribute("error", invalid);
            return "admin/audit";
        }
        response.setContentType(chosen.contentType());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-events-"
                + Instant.now().getEpochSecond() + "." + chosen.extension() + "\"");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        trail.export(query, chosen, AdminConsoleAccess.actor(authentication), response.getOutputStream());
        return null;
    }

    /**
     * The filter as typed (every field text, so that nothing typed can fail to bind); kept in the form as it was.
     */
    record Filter(String user, String client, List<String> type, String from, String to, String page, String size) {

        AuditQuery query() {
            return AuditQuery.parse(user, client, type, from, to);
        }

        public boolean selected(String name) {
            return type != null && type.stream().anyMatch(value -> value != null
                    && Arrays.asList(value.split(",")).contains(name));
        }

        /** A link to {@code path} with this filter and the extra parameters (which replace the filter's). */
        String link(String path, Map<String, String> extra) {
            StringJoiner query = new StringJoiner("&");
            add(query, "user", user);
            add(query, "client", client);
            if (type != null) {
                type.forEach(value -> add(query, "type", value));
            }
            add(query, "from", from);
            add(query, "to", to);
            if (!extra.containsKey("format")) {
                add(query, "size", size);
            }
            new TreeMap<>(extra).forEach((name, value) -> add(query, name, value));
            return query.length() == 0 ? path : path + "?" + query;
        }

        private static void add(StringJoiner query, String name, String value) {
            if (value != null && !value.isBlank()) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    /** An event as the table shows it. */
    record EventRow(String time, String type, String user, String subject, String clientIp, List<String> details) {

        static EventRow of(RecordedAuditEvent event) {
            return new EventRow(AdminTimes.second(event.occurredAt()),
                    event.type() == null ? "" : event.type().name(),
                    event.userId() == null ? null : event.userId().toString(), event.subject(), event.clientIp(),
                    event.details().entrySet().stream().map(detail -> detail.getKey() + ": " + detail.getValue())
                            .toList());
        }
    }
}
