package io.latchkey.audit;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CSV quoting and formula neutralisation, JSON lines, and the checks of a filter as typed. */
class AuditExportFormatTest {

    @Test
    void csvCellsAreQuotedAsRfc4180Says() {
        assertThat(AuditExportFormat.csvCell(null)).isEmpty();
        assertThat(AuditExportFormat.csvCell("")).isEmpty();
        assertThat(AuditExportFormat.csvCell("plain text")).isEqualTo("plain text");
        assertThat(AuditExportFormat.csvCell("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditExportFormat.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditExportFormat.csvCell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(AuditExportFormat.csvCell("cr\rin")).isEqualTo("\"cr\rin\"");
        assertThat(AuditExportFormat.csvCell("Ünïcødé 😀")).isEqualTo("Ünïcødé 😀");
    }

    @Test
    void aCellASpreadsheetWouldTakeForAFormulaGetsALeadingQuote() {
        assertThat(AuditExportFormat.csvCell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(AuditExportFormat.csvCell("+1+1")).isEqualTo("'+1+1");
        assertThat(AuditExportFormat.csvCell("-2+3")).isEqualTo("'-2+3");
        assertThat(AuditExportFormat.csvCell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(AuditExportFormat.csvCell("\tx")).isEqualTo("'\tx");
        assertThat(AuditExportFormat.csvCell("\rx")).isEqualTo("\"'\rx\"");
        assertThat(AuditExportFormat.csvCell("a=b")).as("only a leading character counts").isEqualTo("a=b");
    }

    @Test
    void anExportHasExactlyTheColumnsOfTheStoredEventAndEscapesEachCell() throws IOException {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("actor", "=cmd|' /C calc'!A0");
        details.put("reason", "bad,\"quoted\"");
        RecordedAuditEvent event = new RecordedAuditEvent(UUID.fromString("00000000-0000-0000-0000-000000000001"),
                Instant.parse("2026-11-30T08:00:00Z"), AuditEventType.LOGIN_FAILED, null, "=1+1@evil.example",
                "127.0.0.1", "-agent", details);
        StringWriter csv = new StringWriter();
        AuditExportFormat.CSV.writeStart(csv);
        AuditExportFormat.CSV.write(event, csv);
        String[] lines = csv.toString().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,occurred_at,type,user_id,subject,client_ip,user_agent,details");
        assertThat(lines[1]).isEqualTo("00000000-0000-0000-0000-000000000001,2026-11-30T08:00:00Z,LOGIN_FAILED,,"
                + "'=1+1@evil.example,127.0.0.1,'-agent,"
                + "\"{\"\"actor\"\":\"\"=cmd|' /C calc'!A0\"\",\"\"reason\"\":\"\"bad,\\\"\"quoted\\\"\"\"\"}\"");

        StringWriter jsonl = new StringWriter();
        AuditExportFormat.JSONL.writeStart(jsonl);
        AuditExportFormat.JSONL.write(event, jsonl);
        assertThat(jsonl.toString()).isEqualTo("{\"id\":\"00000000-0000-0000-0000-000000000001\","
                + "\"occurred_at\":\"2026-11-30T08:00:00Z\",\"type\":\"LOGIN_FAILED\",\"user_id\":null,"
                + "\"subject\":\"=1+1@evil.example\",\"client_ip\":\"127.0.0.1\",\"user_agent\":\"-agent\","
                + "\"details\":{\"actor\":\"=cmd|' /C calc'!A0\",\"reason\":\"bad,\\\"quoted\\\"\"}}\n");
    }

    @Test
    void noExportColumnCanHoldASecret() {
        // the columns are the stored event's; its details are plain facts whose keys never name a secret
        assertThat(AuditExportFormat.COLUMNS).containsExactly("id", "occurred_at", "type", "user_id", "subject",
                "client_ip", "user_agent", "details");
        for (String column : AuditExportFormat.COLUMNS) {
            assertThat(column).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("secret")
                    .doesNotContainIgnoringCase("token").doesNotContainIgnoringCase("hash")
                    .doesNotContainIgnoringCase("key");
        }
        assertThatThrownBy(() -> AuditEvent.of(AuditEventType.LOGIN_FAILED).detail("client_secret", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFilterIsReadFromWhatWasTypedOrRefusedNamingTheField() {
        UUID user = UUID.randomUUID();
        AuditQuery query = AuditQuery.parse(" " + user + " ", " app ", List.of("login_failed,PASSKEY_SIGNED_IN",
                "LOGIN_SUCCEEDED"), "2026-11-30", "2026-11-30T10:15");
        assertThat(query.user()).isEqualTo(user);
        assertThat(query.client()).isEqualTo("app");
        assertThat(query.types()).isEqualTo(Set.of(AuditEventType.LOGIN_FAILED, AuditEventType.PASSKEY_SIGNED_IN,
                AuditEventType.LOGIN_SUCCEEDED));
        assertThat(query.from()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2026-11-30T10:15:00Z"));
        assertThat(AuditQuery.parse("", null, null, " ", null)).isEqualTo(AuditQuery.all());
        assertThat(AuditQuery.parse(null, null, null, "2026-11-30T08:00:00+01:00", null).from())
                .isEqualTo(Instant.parse("2026-11-30T07:00:00Z"));

        refused("user", () -> AuditQuery.parse("not-a-uuid", null, null, null, null));
        refused("user", () -> AuditQuery.parse("1-1-1-1-1", null, null, null, null));
        refused("user", () -> AuditQuery.parse("' OR 1=1 --", null, null, null, null));
        refused("client", () -> AuditQuery.parse(null, "a\u0000b", null, null, null));
        refused("client", () -> AuditQuery.parse(null, "x".repeat(201), null, null, null));
        refused("type", () -> AuditQuery.parse(null, null, List.of("LOGIN_FAILED", "DROP TABLE"), null, null));
        refused("type", () -> AuditQuery.parse(null, null, List.of("<script>"), null, null));
        refused("from", () -> AuditQuery.parse(null, null, null, "yesterday", null));
        refused("from", () -> AuditQuery.parse(null, null, null, "+999999999-12-31T23:59:59Z", null));
        refused("to", () -> AuditQuery.parse(null, null, null, null, "2026-13-45"));
        refused("to", () -> AuditQuery.parse(null, null, null, "2026-11-30", "2026-11-29"));
        refused("page", () -> AuditPage.parsePaging("-1", null));
        refused("page", () -> AuditPage.parsePaging("99999999999999999999", null));
        refused("size", () -> AuditPage.parsePaging(null, "201"));
        refused("size", () -> AuditPage.parsePaging(null, "0"));
        refused("size", () -> AuditPage.parsePaging(null, "ten"));
        refused("format", () -> AuditExportFormat.parse("xlsx"));
        assertThat(AuditPage.parsePaging(null, null)).isEqualTo(new AuditPage.Paging(0, AuditPage.DEFAULT_SIZE));
        assertThat(AuditExportFormat.parse("JSONL")).isEqualTo(AuditExportFormat.JSONL);
    }

    private static void refused(String field, Runnable parse) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(InvalidAuditQuery.class,
                invalid -> assertThat(invalid.field()).isEqualTo(field));
    }
}
