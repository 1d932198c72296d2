package io.latchkey.audit;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * How audit events are exported: CSV (RFC 4180, with a header row) or JSON lines (one object per line). Both have
 * exactly the columns of {@link #COLUMNS}: the stored event, whose details never hold a secret
 * ({@link AuditEvent} refuses such keys). A CSV cell that a spreadsheet would take for a formula (starting with
 * {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return) gets a leading {@code '}.
 */
public enum AuditExportFormat {

    CSV("text/csv; charset=UTF-8", "csv"),
    JSONL("application/jsonl; charset=UTF-8", "jsonl");

    /** The columns of every export, in order. */
    public static final List<String> COLUMNS = List.of("id", "occurred_at", "type", "user_id", "subject", "client_ip",
            "user_agent", "details");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String contentType;
    private final String extension;

    AuditExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** The format named {@code csv} or {@code jsonl} (any case); blank is CSV. */
    public static AuditExportFormat parse(String name) {
        if (name == null || name.isBlank()) {
            return CSV;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "jsonl", "ndjson" -> JSONL;
            default -> throw new InvalidAuditQuery("format", "admin.audit.error.format",
                    "'format' must be csv or jsonl");
        };
    }

    /** What comes before the first event: CSV's header row. */
    void writeStart(Writer out) throws IOException {
        if (this == CSV) {
            out.write(String.join(",", COLUMNS));
            out.write("\r\n");
        }
    }

    void write(RecordedAuditEvent event, Writer out) throws IOException {
        List<String> values = values(event);
        if (this == CSV) {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(csvCell(values.get(i)));
            }
            out.write("\r\n");
        }
        else {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                object.put(COLUMNS.get(i), i == COLUMNS.size() - 1 ? event.details() : values.get(i));
            }
            out.write(JSON.writeValueAsString(object));
            out.write('\n');
        }
    }

    private static List<String> values(RecordedAuditEvent event) {
        return java.util.Arrays.asList(event.id().toString(), event.occurredAt().toString(),
                event.type() == null ? null : event.type().name(),
                event.userId() == null ? null : event.userId().toString(), event.subject(), event.clientIp(),
                event.userAgent(), event.details().isEmpty() ? null : JSON.writeValueAsString(event.details()));
    }

    /**
     * One CSV cell: a formula neutralised with a leading {@code '}, then quoted (RFC 4180) when it holds a comma,
     * a quote or a line break, with quotes doubled; null is an empty cell.
     */
    static String csvCell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String cell = value;
        char first = cell.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            cell = "'" + cell;
        }
        if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
            cell = '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }
}
