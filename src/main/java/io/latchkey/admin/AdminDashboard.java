package io.latchkey.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import io.latchkey.audit.AuditTrail;
import io.latchkey.audit.SignInCount;
import io.latchkey.tokens.TokenActivity;

/**
 * The dashboard's figures for the last {@value #HOURS} hours (UTC, the current hour included), hour by hour: sign-ins
 * from the audit trail ({@link AuditTrail#SIGN_INS_SUCCEEDED}, {@link AuditTrail#SIGN_INS_FAILED}), and tokens issued
 * and token requests refused from the token counts ({@link TokenActivity}, written by every instance about once a
 * minute); and the clients with the most token requests.
 */
@Service
class AdminDashboard {

    static final int HOURS = 24;
    static final int TOP_CLIENTS = 5;

    private final AuditTrail audit;
    private final TokenActivity tokens;
    private final Clock clock;

    AdminDashboard(AuditTrail audit, TokenActivity tokens, Clock clock) {
        this.audit = audit;
        this.tokens = tokens;
        this.clock = clock;
    }

    Figures figures() {
        Instant first = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        Map<Instant, long[]> signIns = hours(first);
        for (SignInCount count : audit.signInsByHour(first)) {
            long[] hour = signIns.get(count.hour());
            if (hour != null) {
                hour[0] += count.succeeded();
                hour[1] += count.failed();
            }
        }
        Map<Instant, long[]> tokenHours = hours(first);
        Map<String, long[]> clients = new HashMap<>();
        for (TokenActivity.Count count : tokens.since(first)) {
            long[] hour = tokenHours.get(count.hour());
            if (hour == null) {
                continue;
            }
            int outcome = count.issued() ? 0 : 1;
            hour[outcome] += count.total();
            clients.computeIfAbsent(count.client(), client -> new long[2])[outcome] += count.total();
        }
        List<ClientFigures> top = clients.entrySet().stream()
                .map(entry -> new ClientFigures(entry.getKey(), entry.getValue()[0], entry.getValue()[1]))
                .sorted(Comparator.comparingLong((ClientFigures client) -> client.issued() + client.refused())
                        .reversed().thenComparing(ClientFigures::client))
                .limit(TOP_CLIENTS)
                .toList();
        return new Figures(Chart.of(signIns), Chart.of(tokenHours), top);
    }

    private static Map<Instant, long[]> hours(Instant first) {
        Map<Instant, long[]> hours = new LinkedHashMap<>();
        for (int i = 0; i < HOURS; i++) {
            hours.put(first.plus(Duration.ofHours(i)), new long[2]);
        }
        return hours;
    }

    record Figures(Chart signIns, Chart tokens, List<ClientFigures> topClients) {
    }

    /** A client's token requests over the whole period ({@code unknown}: requests that named no registered client). */
    record ClientFigures(String client, long issued, long refused) {
    }

    /**
     * One chart: a stacked bar per hour, the good outcome (succeeded, issued) below the bad one (failed, refused),
     * laid out in SVG user units ({@link #WIDTH} by {@link #HEIGHT}) so the template only writes numbers.
     */
    record Chart(List<Bar> bars, long good, long bad, long max) {

        static final int WIDTH = 480;
        static final int HEIGHT = 150;
        static final int PLOT_HEIGHT = 120;
        static final int BAR_STEP = WIDTH / HOURS;
        static final int BAR_WIDTH = BAR_STEP - 4;

        static Chart of(Map<Instant, long[]> hours) {
            long max = Math.max(1, hours.values().stream().mapToLong(hour -> hour[0] + hour[1]).max().orElse(0));
            List<Bar> bars = new ArrayList<>();
            long good = 0;
            long bad = 0;
            int i = 0;
            for (Map.Entry<Instant, long[]> hour : hours.entrySet()) {
                long ok = hour.getValue()[0];
                long notOk = hour.getValue()[1];
                good += ok;
                bad += notOk;
                int goodHeight = height(ok, max);
                int badHeight = height(notOk, max);
                bars.add(new Bar(AdminTimes.hour(hour.getKey()), i * BAR_STEP + 2, BAR_WIDTH,
                        PLOT_HEIGHT - goodHeight, goodHeight, PLOT_HEIGHT - goodHeight - badHeight, badHeight, ok, notOk,
                        i % 6 == 0));
                i++;
            }
            return new Chart(bars, good, bad, max);
        }

        /** Bars are scaled to the busiest hour; a non-zero count is at least one unit high, so it shows. */
        private static int height(long count, long max) {
            if (count == 0) {
                return 0;
            }
            return (int) Math.max(1, Math.round((double) count * PLOT_HEIGHT / max));
        }

        public int width() {
            return WIDTH;
        }

        public int height() {
            return HEIGHT;
        }

        public int labelY() {
            return PLOT_HEIGHT + 16;
        }

        public int baseline() {
            return PLOT_HEIGHT;
        }
    }

    /** One hour's bar: its label, position, the two parts' heights, and the counts they stand for. */
    record Bar(String hour, int x, int width, int goodY, int goodHeight, int badY, int badHeight, long good, long bad,
            boolean labelled) {

        public int labelX() {
            return x + width / 2;
        }
    }
}
