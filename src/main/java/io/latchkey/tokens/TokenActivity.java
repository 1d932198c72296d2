package io.latchkey.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Service;

import io.latchkey.jobs.ClusterJobs;

/**
 * Tokens issued and token requests refused, per hour, client and grant type (or error code), for the admin
 * dashboard. There is no audit row per token on purpose (a write per client-credentials token would cost the load
 * budget): each instance counts in memory and adds its counts to {@code token_activity} every
 * {@value #FLUSH_SECONDS} seconds with one upsert per key ({@code total = total + n}); one instance deletes the
 * rows older than {@value #KEEP_DAYS} days. An instance that stops loses at most its last minute's counts.
 */
@Service
public class TokenActivity implements InitializingBean, DisposableBean {

    static final String FLUSH_JOB = "token-activity-flush";
    static final String PURGE_JOB = "token-activity-purge";
    static final long FLUSH_SECONDS = 60;
    static final long KEEP_DAYS = 8;
    /** A client id longer than the column is not a registered client's. */
    static final int MAX_CLIENT_ID = 200;
    static final String UNKNOWN_CLIENT = "unknown";
    static final String ISSUED = "issued";
    static final String REFUSED = "refused";
    /** More keys than this in memory (a flush failing for long) and new counts are dropped, not kept without end. */
    private static final int MAX_PENDING_KEYS = 100_000;

    private static final Logger log = LoggerFactory.getLogger(TokenActivity.class);

    private final TokenActivityRepository repository;
    private final ClusterJobs jobs;
    private final Clock clock;
    private final Map<Key, Long> pending = new ConcurrentHashMap<>();

    TokenActivity(TokenActivityRepository repository, ClusterJobs jobs, Clock clock) {
        this.repository = repository;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Counts an access token issued to the client by the grant. */
    public void issued(String clientId, String grantType) {
        count(clientId, ISSUED, grantType);
    }

    /**
     * Counts a refused token request. {@code clientId} must be a registered client's id (a client the server
     * authenticated or found), or null: an id a request merely claims is not a label.
     */
    public void refused(String clientId, String errorCode) {
        count(clientId, REFUSED, errorCode);
    }

    private void count(String clientId, String outcome, String detail) {
        if (pending.size() >= MAX_PENDING_KEYS) {
            return;
        }
        String client = clientId == null || clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID ? UNKNOWN_CLIENT
                : clientId;
        String what = detail == null || detail.isEmpty() ? "unknown" : detail.length() > 64 ? detail.substring(0, 64)
                : detail;
        Key key = new Key(clock.instant().truncatedTo(ChronoUnit.HOURS), client, outcome, what);
        pending.merge(key, 1L, Long::sum);
    }

    /**
     * Adds this instance's counts to the table and forgets them; a key whose write fails is kept for the next
     * flush. Returns how many keys were written.
     */
    public int flush() {
        int written = 0;
        for (Key key : List.copyOf(pending.keySet())) {
            Long n = pending.remove(key);
            if (n == null || n == 0) {
                continue;
            }
            try {
                repository.add(key.hour(), key.client(), key.outcome(), key.detail(), n);
                written++;
            }
            catch (RuntimeException ex) {
                pending.merge(key, n, Long::sum);
                throw ex;
            }
        }
        return written;
    }

    /** Deletes the rows older than {@value #KEEP_DAYS} days; how many went. */
    public int purge() {
        return repository.deleteBefore(clock.instant().minus(Duration.ofDays(KEEP_DAYS)));
    }

    /** Every row from the hour of {@code since} on. */
    public List<Count> since(Instant since) {
        return repository.since(since.truncatedTo(ChronoUnit.HOURS));
    }

    @Override
    public void afterPropertiesSet() {
        jobs.scheduleOnEveryInstance(FLUSH_JOB, Duration.ofSeconds(FLUSH_SECONDS), this::flush);
        jobs.scheduleOnOneInstance(PURGE_JOB, Duration.ofHours(1), this::purge);
    }

    /** At shutdown, what was counted since the last flush goes to the table too. */
    @Override
    public void destroy() {
        try {
            flush();
        }
        catch (RuntimeException ex) {
            log.warn("Could not write the last token counts at shutdown: {}", ex.toString());
        }
    }

    /**
     * Requests in one hour: tokens {@code issued} by a grant type, or requests {@code refused} with an error code.
     *
     * @param client a client id, or {@value #UNKNOWN_CLIENT}
     */
    public record Count(Instant hour, String client, String outcome, String detail, long total) {

        public boolean issued() {
            return ISSUED.equals(outcome);
        }
    }

    private record Key(Instant hour, String client, String outcome, String detail) {
    }
}
