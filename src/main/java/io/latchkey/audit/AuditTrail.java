package io.latchkey.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail as administrators read it: filtered pages, newest first; exports (CSV or JSON lines, streamed, at
 * most {@code latchkey.audit.export-max-rows}), each one itself recorded as {@link AuditEventType#AUDIT_EXPORTED};
 * and hourly counts of sign-ins for the dashboard. Whether the caller may read the trail is checked where it calls.
 */
@Service
@EnableConfigurationProperties(AuditProperties.class)
public class AuditTrail {

    /** The events that count as a successful sign-in on the dashboard. */
    public static final Set<AuditEventType> SIGN_INS_SUCCEEDED = EnumSet.of(AuditEventType.LOGIN_SUCCEEDED,
            AuditEventType.PASSKEY_SIGNED_IN);
    /** The events that count as a failed sign-in on the dashboard. */
    public static final Set<AuditEventType> SIGN_INS_FAILED = EnumSet.of(AuditEventType.LOGIN_FAILED,
            AuditEventType.PASSKEY_SIGN_IN_FAILED, AuditEventType.SECOND_FACTOR_CODE_REFUSED);

    private final AuditRepository events;
    private final AuditLog log;
    private final AuditProperties properties;
    private final TransactionTemplate readOnly;

    AuditTrail(AuditRepository events, AuditLog log, AuditProperties properties, TransactionTemplate transactions) {
        this.events = events;
        this.log = log;
        this.properties = properties;
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
        this.readOnly.setReadOnly(true);
    }

    /** One page of the events matching the query, newest first. */
    public AuditPage page(AuditQuery query, AuditPage.Paging paging) {
        List<RecordedAuditEvent> found = events.find(query, (long) paging.page() * paging.size(), paging.size() + 1);
        boolean more = found.size() > paging.size();
        return new AuditPage(more ? found.subList(0, paging.size()) : found, paging.page(), paging.size(), more);
    }

    /** The most rows one export writes. */
    public int exportMaxRows() {
        return properties.exportMaxRows();
    }

    /**
     * Writes the events matching the query to {@code out}, newest first, at most {@link #exportMaxRows()}; records
     * the export first (an export is never unrecorded). Returns how many events were written.
     */
    public int export(AuditQuery query, AuditExportFormat format, UUID actor, OutputStream out) {
        log.record(AuditEvent.of(AuditEventType.AUDIT_EXPORTED)
                .subject("audit")
                .actor(actor.toString())
                .detail("format", format.extension())
                .detail("filter", query.describe())
                .outcome(AuditEvent.SUCCEEDED));
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        int[] written = { 0 };
        try {
            format.writeStart(writer);
            readOnly.executeWithoutResult(status -> events.stream(query, properties.exportMaxRows(), event -> {
                try {
                    format.write(event, writer);
                    written[0]++;
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }));
            writer.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return written[0];
    }

    /** Sign-ins in each hour (UTC) from the hour of {@code since} on, oldest first; hours without any left out. */
    public List<SignInCount> signInsByHour(Instant since) {
        Instant start = since.truncatedTo(ChronoUnit.HOURS);
        Set<AuditEventType> types = EnumSet.copyOf(SIGN_INS_SUCCEEDED);
        types.addAll(SIGN_INS_FAILED);
        Map<Long, long[]> byHour = new TreeMap<>();
        for (AuditRepository.HourlyTypeCount count : events.countByHour(types, start)) {
            long[] outcomes = byHour.computeIfAbsent(count.hour(), hour -> new long[2]);
            boolean succeeded = SIGN_INS_SUCCEEDED.stream().anyMatch(type -> type.name().equals(count.type()));
            outcomes[succeeded ? 0 : 1] += count.count();
        }
        return byHour.entrySet().stream()
                .map(entry -> new SignInCount(Instant.ofEpochSecond(entry.getKey() * 3600), entry.getValue()[0],
                        entry.getValue()[1]))
                .toList();
    }
}
